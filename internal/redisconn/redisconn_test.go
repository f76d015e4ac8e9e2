package redisconn_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/redisconn"
	"github.com/kimbot/kimbot/internal/testenv"
)

// TestNew_HungRedisFailsFast: against a Redis that accepts and never
// answers, a call without a deadline of its own gives up after the
// client's socket deadline (go-redis's default waits 5 s), and a call with
// one gives up at it.
func TestNew_HungRedisFailsFast(t *testing.T) {
	rdb, err := redisconn.New("redis://" + testenv.SilentServer(t) + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	start := time.Now()
	if err := rdb.Get(context.Background(), "k").Err(); err == nil {
		t.Fatal("a silent Redis answered")
	}
	if took := time.Since(start); took > 3*redisconn.IOTimeout {
		t.Errorf("a call without a deadline took %v, want about %v", took, redisconn.IOTimeout)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	rdb.Get(ctx, "k")
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Errorf("a call with a 100 ms deadline took %v", took)
	}
}

// TestOptions_URLWins: REDIS_URL's own timeouts stay; the rest get
// kimbot's.
func TestOptions_URLWins(t *testing.T) {
	o, err := redisconn.Options("redis://127.0.0.1:6379/0?read_timeout=2s&max_retries=3")
	if err != nil {
		t.Fatal(err)
	}
	if o.ReadTimeout != 2*time.Second || o.MaxRetries != 3 {
		t.Errorf("read_timeout %v, max_retries %d: want the URL's 2s and 3", o.ReadTimeout, o.MaxRetries)
	}
	if o.WriteTimeout != redisconn.IOTimeout || o.DialTimeout != redisconn.DialTimeout || !o.ContextTimeoutEnabled {
		t.Errorf("write %v, dial %v, context deadlines %v: want kimbot's", o.WriteTimeout, o.DialTimeout, o.ContextTimeoutEnabled)
	}
}
