package bot_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const (
	btnVillage region.Code = "35.73.05.1003" // Tlogomas
	btnGroup   int64       = -100777
)

var (
	btnResident  = emulator.User{ID: 8101, FirstName: "Budi"}
	btnModerator = emulator.User{ID: 8102, FirstName: "Sri"}
	btnOperator  = emulator.User{ID: 8103, FirstName: "Dinas"}
)

// buttonRig runs the bot with the aspirations Service, a resident of
// Tlogomas, its moderator with the KIM group, and a ticket whose post
// sits in that group.
func buttonRig(t *testing.T) (*bottest.Rig, emulator.Sent, aspirations.Ticket) {
	t.Helper()
	r := bottest.New(t, bottest.Options{Aspirations: func(*aspirations.Config) {}})
	r.Resident(btnResident, btnVillage)
	r.Moderator(btnModerator, btnVillage, btnGroup)
	number := r.FileOneShot(btnResident, "Lampu jalan di RT 02 mati")
	post := r.WaitText(btnGroup, number)
	r.WaitRecorded(btnGroup, post.MessageID)
	tk, _ := r.Ticket(number)
	return r, post, tk
}

// fingerprint is the state a refused press must not change: every
// message in chats, and the rows of the tables a button can write.
type fingerprint struct {
	messages map[int64][]emulator.Sent
	tables   map[string]string
}

func takeFingerprint(r *bottest.Rig, chats ...int64) fingerprint {
	r.T.Helper()
	f := fingerprint{messages: map[int64][]emulator.Sent{}, tables: map[string]string{}}
	for _, c := range chats {
		f.messages[c] = r.Emu.Messages(c)
	}
	for _, table := range []string{"subscribers", "aspiration_tickets", "aspiration_messages", "aspiration_events",
		"aspiration_outbox", "staff", "schedules"} {
		var sum string
		r.Must(r.DB.Get(&sum, `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM `+table+` t`))
		f.tables[table] = sum
	}
	return f
}

// press presses data as who in chat on message msg and returns the
// press's answer.
func press(t *testing.T, r *bottest.Rig, who emulator.User, chatID int64, msg int, data string) emulator.CallbackAnswer {
	t.Helper()
	n := len(r.Emu.Callbacks())
	r.Emu.PressButton(who, chatID, msg, data)
	deadline := time.Now().Add(bottest.Wait)
	for len(r.Emu.Callbacks()) <= n {
		if time.Now().After(deadline) {
			t.Fatalf("press %q by %d in %d: no answer", data, who.ID, chatID)
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := r.Emu.Callbacks()
	return got[len(got)-1]
}

// wantAlert checks that a press was answered with the alert want.
func wantAlert(t *testing.T, a emulator.CallbackAnswer, data string, want catalog.Key) {
	t.Helper()
	if a.Text != catalog.T(want) || !a.ShowAlert {
		t.Errorf("press %q answered %+v, want the alert %q", data, a, catalog.T(want))
	}
}

// pressRefused presses data as who in chat on message msg and checks that
// the press got exactly the alert want and changed nothing.
func pressRefused(t *testing.T, r *bottest.Rig, who emulator.User, chatID int64, msg int, data string, want catalog.Key, chats []int64) {
	t.Helper()
	before := takeFingerprint(r, chats...)
	wantAlert(t, press(t, r, who, chatID, msg, data), data, want)
	after := takeFingerprint(r, chats...)
	for c, ms := range before.messages {
		if !reflect.DeepEqual(ms, after.messages[c]) {
			t.Errorf("press %q by %d in %d changed chat %d:\nbefore %+v\nafter  %+v", data, who.ID, chatID, c, ms, after.messages[c])
		}
	}
	for table, sum := range before.tables {
		if after.tables[table] != sum {
			t.Errorf("press %q by %d in %d changed table %s", data, who.ID, chatID, table)
		}
	}
}

// TestButtons_ResidentButtonsInModeratorGroup is issue 10's example: a
// member of a KIM moderator group presses resident buttons there (forged
// data on a ticket post). "res:del:y" used to erase the group's pending
// ticket post, "res:v:…" subscribed the group, and the post was
// overwritten without its buttons. Now each gets a short alert, and the
// post, the group's subscription and the pending post stay as they were.
func TestButtons_ResidentButtonsInModeratorGroup(t *testing.T) {
	r, post, _ := buttonRig(t)
	member := emulator.User{ID: 8199, FirstName: "Anggota"}
	chats := []int64{btnGroup, btnModerator.ID, btnResident.ID}

	// A second ticket's post waits: the group's first try failed.
	r.Emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: btnGroup, Code: 500, Times: 1})
	second := r.FileOneShot(btnResident, "Selokan di RT 03 mampet")
	waitPendingRetry(t, r, btnGroup)

	wantAlert(t, press(t, r, btnModerator, btnGroup, post.MessageID, "res:del:y"), "res:del:y", "res.button_private")
	arrived := r.WaitText(btnGroup, second) // the waiting post still arrives
	r.WaitRecorded(btnGroup, arrived.MessageID)
	if now := findSent(r, btnGroup, post.MessageID); now.Text != post.Text || !reflect.DeepEqual(now.Buttons, post.Buttons) || now.Edits != 0 {
		t.Fatalf("the ticket post changed: %+v", now)
	}
	pressRefused(t, r, member, btnGroup, post.MessageID, "res:v:35.73.05.1003", "res.button_private", chats)
	pressRefused(t, r, btnModerator, btnGroup, post.MessageID, "res:l:35.73.05:0", "res.button_private", chats)
	pressRefused(t, r, member, btnGroup, post.MessageID, "aspr:cancel", "res.button_private", chats)
	if st, _ := r.Status(btnGroup); st != "" {
		t.Fatalf("the group is subscribed: %s", st)
	}
}

// findSent is message id in chat as it is now.
func findSent(r *bottest.Rig, chatID int64, id int) emulator.Sent {
	for _, m := range r.Emu.Messages(chatID) {
		if m.MessageID == id {
			return m
		}
	}
	r.T.Fatalf("message %d of chat %d is gone", id, chatID)
	return emulator.Sent{}
}

// waitPendingRetry waits until chat's outbox row failed once and waits
// for its retry.
func waitPendingRetry(t *testing.T, r *bottest.Rig, chatID int64) {
	t.Helper()
	deadline := time.Now().Add(bottest.Wait)
	for {
		var n int
		r.Must(r.DB.Get(&n, `SELECT count(*) FROM aspiration_outbox WHERE chat_id = $1 AND status = 'pending' AND attempt > 0`, chatID))
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no post waiting for a retry in chat %d", chatID)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestButtons_EveryRouteChecked is the kind: every registered button
// route is pressed from a chat it does not allow, by a role it does not
// allow, and on a message of another kind; each press gets a short alert
// and changes nothing (no message sent or edited, no row written). A new
// route needs a sample press here, so it cannot go untested.
func TestButtons_EveryRouteChecked(t *testing.T) {
	r, post, tk := buttonRig(t)
	r.Operator(btnOperator, "35.73")
	samples := map[string]string{
		"res":          "res:del:y",
		"aspr":         "aspr:cancel",
		"asp":          aspirations.ButtonData(aspirations.ActionClaim, tk.ID),
		"asp:rate_yes": aspirations.ButtonData(aspirations.ActionRateYes, tk.ID),
		"asp:rate_no":  aspirations.ButtonData(aspirations.ActionRateNo, tk.ID),
		"aspm":         "aspm:stop",
		"op":           "op:jc:1",
		"usul:area":    "usul:area:own",
		"usul:batal":   "usul:batal",
		"usul:ok":      "usul:ok:1",
		"usul:ubah":    "usul:ubah:1",
		"usul:tolak":   "usul:tolak:1",
	}
	// Every person's own messages of two kinds: the village picker
	// (resident buttons) and, for the resident, the guided /aspirasi.
	pickers := map[int64]emulator.Sent{}
	for _, u := range []emulator.User{btnResident, btnModerator, btnOperator} {
		r.Emu.SendText(u, "/wilayah")
		pickers[u.ID] = r.WaitText(u.ID, "Pilih ")
	}
	r.Emu.SendText(btnResident, "/aspirasi")
	draft := r.WaitText(btnResident.ID, "Pilih kategori")
	chats := []int64{btnGroup, btnResident.ID, btnModerator.ID, btnOperator.ID}

	routes := bot.RouterOf(r.App).CallbackRoutes()
	if len(routes) < len(samples) {
		t.Fatalf("routes %+v: fewer than the samples", routes)
	}
	for _, route := range routes {
		data, ok := samples[route.Prefix]
		if !ok {
			t.Fatalf("route %q has no sample press: add one", route.Prefix)
		}
		t.Run(route.Prefix, func(t *testing.T) {
			if route.Access.Where&chat.InGroup == 0 {
				pressRefused(t, r, btnModerator, btnGroup, post.MessageID, data, "res.button_private", chats)
			}
			if route.Access.Where&chat.InPrivate == 0 {
				pressRefused(t, r, btnResident, btnResident.ID, pickers[btnResident.ID].MessageID, data, "res.button_here", chats)
			}
			if len(route.Access.Roles) > 0 {
				pressRefused(t, r, btnResident, btnResident.ID, pickers[btnResident.ID].MessageID, data, "res.button_forbidden", chats)
			}
			// Someone the route allows, where it allows, on a message
			// without its buttons.
			who, msg := btnResident, pickers[btnResident.ID]
			switch {
			case strings.HasPrefix(data, "res:"):
				msg = draft
			case len(route.Access.Roles) == 1 && route.Access.Roles[0] == staff.RoleModerator:
				who, msg = btnModerator, pickers[btnModerator.ID]
			case len(route.Access.Roles) == 1: // operators only
				who, msg = btnOperator, pickers[btnOperator.ID]
			case len(route.Access.Roles) > 1:
				who, msg = btnModerator, pickers[btnModerator.ID]
			}
			pressRefused(t, r, who, who.ID, msg.MessageID, data, "res.stale_button", chats)
		})
	}
}
