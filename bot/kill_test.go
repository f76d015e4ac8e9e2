package bot_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// The child process of TestInbox_SurvivesSIGKILL: the test binary re-run
// with this variable set runs the bot until it is killed.
const (
	killChildEnv   = "KIMBOT_BOT_KILL_CHILD"
	killWorkers    = 4
	killChats      = 8
	killPerChat    = 40
	killAPIEnv     = "KIMBOT_BOT_KILL_API"
	killPrefixEnv  = "KIMBOT_BOT_KILL_PREFIX"
	killDBEnv      = "KIMBOT_BOT_KILL_DB"
	killHandleTime = 4 * time.Millisecond
)

// TestInbox_KillChild is not a test on its own: it is the body of the
// child process that TestInbox_SurvivesSIGKILL starts and kills.
func TestInbox_KillChild(t *testing.T) {
	if os.Getenv(killChildEnv) != "1" {
		return // run only as the child process
	}
	db, err := sqlx.Open("postgres", os.Getenv(killDBEnv))
	if err != nil {
		t.Fatal(err)
	}
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: os.Getenv(killAPIEnv), PollTimeout: 2 * time.Second,
		Workers: killWorkers, HandlerTimeout: time.Second, Lease: 2 * time.Minute, FloodLimit: -1},
		bot.Deps{DB: db, Redis: redis.NewClient(opt), RedisPrefix: os.Getenv(killPrefixEnv), Regions: region.NewStore(db),
			Subscribers: broadcast.NewSubscribers(db, message.SystemClock{})})
	if err != nil {
		t.Fatal(err)
	}
	bot.RouterOf(app).Command("seq", func(ctx context.Context, r *chat.Request) error {
		time.Sleep(killHandleTime) // so that updates are in flight when the kill comes
		_, err := r.Reply(ctx, message.Message{Text: "seq " + r.Command.Args})
		return err
	})
	app.Run(context.Background()) // until SIGKILL
}

// TestInbox_SurvivesSIGKILL kills the bot process mid-stream with SIGKILL
// and starts another: every update is answered, and only updates that
// were in flight at the kill may be answered twice. The lease is the
// default 2 minutes: the updates the dead process held come back through
// its holder (internal/holder) within seconds of the restart.
func TestInbox_SurvivesSIGKILL(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	db, dbURL := testenv.DBWithURL(t)
	_, prefix := testenv.Redis(t)
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestInbox_KillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), killChildEnv+"=1", killAPIEnv+"="+emu.URL(), killDBEnv+"="+dbURL, killPrefixEnv+"="+prefix)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	first := start()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // residents keep writing while the bot dies and comes back
		defer wg.Done()
		for i := 0; i < killPerChat; i++ {
			for c := int64(0); c < killChats; c++ {
				emu.SendText(emulator.User{ID: 9100 + c, FirstName: "K"}, fmt.Sprintf("/seq %d", i))
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	total := killChats * killPerChat
	waitReplies(t, emu, total/3)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	atKill := countReplies(emu)
	var held []int64
	if err := db.Select(&held, `SELECT update_id FROM bot_updates WHERE status = 'running'`); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	second := start()
	t.Cleanup(func() { second.Process.Kill(); second.Wait() })
	for {
		var left int
		if err := db.Get(&left, `SELECT count(*) FROM bot_updates WHERE update_id = ANY($1) AND status <> 'done'`, pq.Array(held)); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Since(restarted) > 15*time.Second {
			t.Fatalf("%d of the %d updates the killed process held are not done %v after the restart", left, len(held), time.Since(restarted))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the %d updates the killed process held were handled %v after the restart", len(held), time.Since(restarted).Round(time.Millisecond))
	wg.Wait()
	waitAllAnswered(t, emu)
	dups := 0
	for c := int64(0); c < killChats; c++ {
		counts := map[string]int{}
		for _, m := range emu.Messages(9100 + c) {
			counts[m.Text]++
		}
		for i := 0; i < killPerChat; i++ {
			n := counts["seq "+strconv.Itoa(i)]
			if n == 0 {
				t.Fatalf("chat %d: update %d never answered", 9100+c, i)
			}
			dups += n - 1
		}
	}
	if dups > killWorkers {
		t.Fatalf("%d updates answered twice; at most the %d in flight at the kill may be", dups, killWorkers)
	}
	// The last replies are out; their updates are settled a moment later.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var open []string
		if err := db.Select(&open, "SELECT update_id || ' ' || status || ' ' || attempts FROM bot_updates WHERE status <> 'done'"); err != nil {
			t.Fatal(err)
		}
		if len(open) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("updates not done (id status attempts): %v", open)
		}
	}
	t.Logf("killed after %d of %d replies; %d answered twice", atKill, total, dups)
}

func countReplies(emu *emulator.Server) int {
	n := 0
	for c := int64(0); c < killChats; c++ {
		for _, m := range emu.Messages(9100 + c) {
			if strings.HasPrefix(m.Text, "seq ") {
				n++
			}
		}
	}
	return n
}

// waitReplies waits until at least n replies arrived (duplicates count).
func waitReplies(t *testing.T, emu *emulator.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for countReplies(emu) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d replies, want %d", countReplies(emu), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitAllAnswered waits until every update of every chat has a reply.
func waitAllAnswered(t *testing.T, emu *emulator.Server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		missing := 0
		for c := int64(0); c < killChats; c++ {
			seen := map[string]bool{}
			for _, m := range emu.Messages(9100 + c) {
				seen[m.Text] = true
			}
			for i := 0; i < killPerChat; i++ {
				if !seen["seq "+strconv.Itoa(i)] {
					missing++
				}
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d updates never answered", missing)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
