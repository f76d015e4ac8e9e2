package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The people and places of the aspiration tests: Tlogomas and Merjosari
// are villages of Kec. Lowokwaru, Kota Malang.
const (
	aspVillageA  region.Code = "35.73.05.1003" // Tlogomas
	aspVillageB  region.Code = "35.73.05.1002" // Merjosari
	aspCity      region.Code = "35.73"
	aspOtherCity region.Code = "35.07"
	aspGroupA    int64       = -100111
)

var (
	aspResident = emulator.User{ID: 5001, FirstName: "Budi", LastName: "Santoso", Username: "budis"}
	aspModA     = emulator.User{ID: 6001, FirstName: "Sri", LastName: "Moderator"}
	aspModA2    = emulator.User{ID: 6002, FirstName: "Agus"}
	aspModB     = emulator.User{ID: 6003, FirstName: "Joko"}
	aspOperator = emulator.User{ID: 7001, FirstName: "Dinas"}
	aspOpOther  = emulator.User{ID: 7002, FirstName: "Lain"}
)

// aspRig is a running bot with the aspirations Service and its outbox,
// against the emulator, a test database and Redis.
type aspRig struct {
	t     testing.TB
	ctx   context.Context
	emu   *emulator.Server
	db    *sqlx.DB
	svc   *aspirations.Service
	subs  *broadcast.Subscribers
	staff *staff.Directory
}

// newAspRig starts the bot and the outbox worker; cfg tweaks the Service.
func newAspRig(t testing.TB, emuOpts emulator.Options, tweak func(*aspirations.Config)) *aspRig {
	t.Helper()
	rdb, prefix := testenv.Redis(t)
	return newAspRigRedis(t, emuOpts, tweak, rdb, prefix)
}

// newAspRigRedis is newAspRig with the bot and the Service on rdb (a dead
// one for outage tests).
func newAspRigRedis(t testing.TB, emuOpts emulator.Options, tweak func(*aspirations.Config), rdb *redis.Client, prefix string) *aspRig {
	t.Helper()
	emu := emulator.NewTestServer(t, emuOpts)
	db := testenv.DB(t)
	clock := message.SystemClock{}
	sender, err := bot.NewSender("123:TEST", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	cfg := aspirations.Config{Sender: sender, OutboxInterval: 20 * time.Millisecond}
	if tweak != nil {
		tweak(&cfg)
	}
	r := &aspRig{t: t, ctx: context.Background(), emu: emu, db: db,
		svc:  aspirations.NewService(db, rdb, prefix, clock, nil, cfg),
		subs: broadcast.NewSubscribers(db, clock), staff: staff.New(db, clock)}
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: emu.URL(), PollTimeout: 2 * time.Second},
		bot.Deps{DB: db, Redis: rdb, RedisPrefix: prefix, Regions: region.NewStore(db), Subscribers: r.subs,
			Clock: clock, Aspirations: r.svc, Staff: r.staff,
			Schedules: broadcast.NewSchedules(db, clock)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = app.Run(ctx) }()
	go func() { defer wg.Done(); _ = r.svc.RunOutbox(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return r
}

func (r *aspRig) must(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// resident makes u a subscriber of village whose chat the emulator knows.
func (r *aspRig) resident(u emulator.User, village region.Code) {
	r.t.Helper()
	r.emu.RegisterUser(u)
	_, err := r.subs.Subscribe(r.ctx, u.ID, village)
	r.must(err)
}

// moderator adds u as a moderator of scope, posting to group (0: private).
func (r *aspRig) moderator(u emulator.User, scope region.Code, group int64) {
	r.t.Helper()
	r.emu.RegisterUser(u)
	var g *int64
	if group != 0 {
		r.emu.AddBotToGroup(emulator.Chat{ID: group, Type: "supergroup", Title: "KIM"}, u)
		g = &group
	}
	_, err := r.staff.Add(r.ctx, staff.Admin(), u.ID, staff.RoleModerator, scope, g)
	r.must(err)
}

func (r *aspRig) operator(u emulator.User, scope region.Code) {
	r.t.Helper()
	r.emu.RegisterUser(u)
	_, err := r.staff.Add(r.ctx, staff.Admin(), u.ID, staff.RoleOperator, scope, nil)
	r.must(err)
}

// waitText waits for a message (or an edit) in chat containing all parts.
// startGuided starts the guided /aspirasi as u and picks category.
func (r *aspRig) startGuided(u emulator.User, category string) {
	r.t.Helper()
	r.emu.SendText(u, "/aspirasi")
	prompt := r.waitText(u.ID, "Pilih kategori")
	r.emu.PressButton(u, u.ID, prompt.MessageID, button(r.t, prompt, category))
	r.waitText(u.ID, "Kategori: <b>"+category+"</b>")
}

func (r *aspRig) waitText(chat int64, parts ...string) emulator.Sent {
	r.t.Helper()
	return r.emu.WaitFor(r.t, chat, 10*time.Second, func(m emulator.Sent) bool {
		for _, p := range parts {
			if !strings.Contains(m.Text, p) {
				return false
			}
		}
		return true
	})
}

// ticket reads a ticket with the CLI's rights.
func (r *aspRig) ticket(numberOrID string) (aspirations.Ticket, []aspirations.Message) {
	r.t.Helper()
	t, msgs, err := r.svc.Get(r.ctx, staff.Admin(), numberOrID)
	r.must(err)
	return t, msgs
}

// waitStatus polls until the ticket has status want.
func (r *aspRig) waitStatus(number string, want aspirations.Status) aspirations.Ticket {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		t, _ := r.ticket(number)
		if t.Status == want {
			return t
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("ticket %s is %s, want %s", number, t.Status, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fileOneShot files text as u and returns the ticket number the bot told.
func (r *aspRig) fileOneShot(u emulator.User, text string) string {
	r.t.Helper()
	n := len(r.texts(u.ID, "tercatat"))
	r.emu.SendText(u, "/aspirasi "+text)
	return aspNumberIn(r.t, r.waitTextCount(u.ID, "tercatat", n+1).Text)
}

// texts are the messages in chat containing part, in order.
func (r *aspRig) texts(chat int64, part string) []emulator.Sent {
	var out []emulator.Sent
	for _, m := range r.emu.Messages(chat) {
		if strings.Contains(m.Text, part) {
			out = append(out, m)
		}
	}
	return out
}

// waitTextCount waits until n messages in chat contain part and returns
// the last of them.
func (r *aspRig) waitTextCount(chat int64, part string, n int) emulator.Sent {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got := r.texts(chat, part); len(got) >= n {
			return got[len(got)-1]
		} else if time.Now().After(deadline) {
			r.t.Fatalf("%d messages with %q in chat %d, want %d", len(got), part, chat, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// aspNumberIn finds the ticket number in a message.
func aspNumberIn(t testing.TB, text string) string {
	t.Helper()
	i := strings.Index(text, "ASP-")
	if i < 0 || len(text) < i+15 {
		t.Fatalf("no ticket number in %q", text)
	}
	return text[i : i+15]
}

// waitCallback waits for an answerCallbackQuery whose text contains part.
func (r *aspRig) waitCallback(part string, alert bool) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, c := range r.emu.Callbacks() {
			if strings.Contains(c.Text, part) && c.ShowAlert == alert {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("no callback answer %q (alert %v) in %+v", part, alert, r.emu.Callbacks())
}

// waitButtonsGone waits until message id in chat has no buttons left (a
// closed ticket's post).
func (r *aspRig) waitButtonsGone(chat int64, id int) {
	r.t.Helper()
	r.emu.WaitFor(r.t, chat, 10*time.Second, func(m emulator.Sent) bool { return m.MessageID == id && len(m.Buttons) == 0 })
}
