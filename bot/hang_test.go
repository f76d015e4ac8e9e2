package bot_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
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

// TestApp_TelegramHangs: Telegram takes every sendMessage and never
// answers. Each update still finishes within the reply deadline (its
// work in the database done, the reply given up on, no apology sent the
// same way), so 8 residents' deep links (one per worker) are all handled
// within 10 s, and the bot answers as soon as Telegram does again. Before
// the deadline each update held its worker for the client's timeout twice
// over (the reply, then the apology): 30 s, the handler's limit.
func TestApp_TelegramHangs(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	r.Emu.AddFault(emulator.Fault{Method: "sendMessage", Delay: time.Hour})
	const residents = 8
	start := time.Now()
	for i := range residents {
		r.Emu.SendText(emulator.User{ID: 9900 + int64(i), FirstName: "T"}, "/start 3573051003")
	}
	for {
		var handled int
		r.Must(r.DB.Get(&handled, `SELECT count(*) FROM bot_updates WHERE status = 'done'`))
		if handled == residents {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%d of %d updates handled after 10 s while Telegram hangs", handled, residents)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d updates handled in %v while Telegram hangs", residents, time.Since(start).Round(time.Millisecond))
	for i := range residents {
		r.WaitStatus(9900+int64(i), broadcast.StatusActive, "35.73.05.1003")
	}
	r.Emu.ClearFaults()
	u := emulator.User{ID: 9900, FirstName: "T"}
	r.Emu.SendText(u, "/bantuan")
	r.WaitText(u.ID, "Cara memakai")
}
