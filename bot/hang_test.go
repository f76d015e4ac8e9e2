package bot_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/redisconn"
	"github.com/kimbot/kimbot/internal/testenv"
)

// TestApp_RedisHangs: Redis accepts connections and never answers. Every
// resident's /start is still answered, and 40 of them within a few
// seconds: each Redis call on an update's path gives up quickly and the
// optional parts (conversation state, the reply limiter) fall back as
// when Redis is down. Before the deadlines the 40 took 26 s.
func TestApp_RedisHangs(t *testing.T) {
	rdb, err := redisconn.New("redis://" + testenv.SilentServer(t) + "/0") // as serve opens it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	r := bottest.New(t, bottest.Options{Root: "35.73", Rate: 25, Redis: rdb, RedisPrefix: "hang:"})
	const residents = 40
	start := time.Now()
	for i := range residents {
		r.Emu.SendText(emulator.User{ID: 9800 + int64(i), FirstName: "H"}, "/start")
	}
	var wg sync.WaitGroup
	errs := make(chan error, residents)
	for i := range residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chat := 9800 + int64(i)
			for time.Since(start) < 10*time.Second {
				if len(r.Texts(chat, "Pilih kecamatan")) > 0 {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			errs <- fmt.Errorf("chat %d: no answer to /start within 10 s", chat)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d residents answered in %v", residents, time.Since(start).Round(time.Millisecond))
}
