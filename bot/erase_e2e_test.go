package bot_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// residentColumns are the columns that can hold something of a resident
// (their chat id, name, username, text or location) and what /hapusdata
// does to them; README "What /hapusdata erases" says the same.
var residentColumns = map[string]string{
	"subscribers.chat_id":              "row deleted (Subscribers.Erase)",
	"deliveries.chat_id":               "replaced by an erased_chat_seq number (Subscribers.Erase)",
	"deliveries.message_id":            "cleared (Subscribers.Erase)",
	"deliveries.last_error":            "Telegram's error text, kept: names no one",
	"bot_updates.chat_id":              "handled rows deleted (Inbox.Erase)",
	"bot_updates.payload":              "handled rows deleted (Inbox.Erase)",
	"bot_updates.last_error":           "handled rows deleted (Inbox.Erase)",
	"aspiration_tickets.resident_chat": "cleared (EraseResident)",
	"aspiration_tickets.resident_name": "cleared (EraseResident)",
	"aspiration_tickets.attachment":    "a location is cleared, a photo or document kept (EraseResident)",
	"aspiration_tickets.text":          "kept, anonymous: the public record of the aspiration",
	"aspiration_tickets.source_key":    "cleared: it named the update (EraseResident)",
	"aspiration_tickets.reject_reason": "staff's text, kept",
	"aspiration_messages.text":         "kept, anonymous: the thread of the aspiration",
	"aspiration_messages.attachment":   "a location is cleared (EraseResident)",
	"aspiration_messages.author_id":    "0 for residents, a staff id otherwise",
	"aspiration_events.actor_id":       "0 for residents, a staff id otherwise",
	"aspiration_events.note":           "staff's note or a rating word, kept",
	"aspiration_outbox.chat_id":        "rows to the resident deleted (EraseResident)",
	"aspiration_outbox.payload":        "rows to the resident deleted; pending posts to staff lose name and location (EraseResident)",
	"aspiration_outbox.last_error":     "rows to the resident deleted (EraseResident)",
}

// otherColumns hold nothing of a resident.
var otherColumns = map[string]string{
	"regions.*":                           "reference data",
	"region_boundaries.*":                 "reference data: kelurahan polygons",
	"goose_db_version.*":                  "migrations",
	"staff.*":                             "staff: operators and moderators, removed by an admin",
	"invites.*":                           "staff invitations",
	"group_link_codes.*":                  "staff group links",
	"kim.*":                               "the KIM registry: groups, their SK and contact, no resident",
	"proposals.*":                         "KIM proposals: staff texts and names, no resident",
	"area_service.*":                      "aspiration counts per area, no resident",
	"announcements.*":                     "operators' announcements",
	"schedules.*":                         "operators' schedules",
	"runs.*":                              "run counts",
	"aspiration_canned.*":                 "moderators' templates",
	"run_region_counts.*":                 "a finished run's counts per village: nobody's",
	"run_failure_counts.*":                "a finished run's failure reasons from Telegram: nobody's",
	"subscriber_counts.*":                 "counts per village: nobody's",
	"subscriber_daily.*":                  "counts per village and day: nobody's",
	"console_links.*":                     "staff's sign-in links",
	"sessions.*":                          "staff's console sessions",
	"audit_log.*":                         "staff's actions",
	"aspiration_digests.*":                "moderators' digests",
	"archive_checks.*":                    "what a check found, when, and the asker's village: no chat id, nobody's",
	"subscribers.village_code":            "deleted with the row",
	"subscribers.status":                  "deleted with the row",
	"aspiration_events.ticket_id":         "kimbot's own row",
	"aspiration_messages.ticket_id":       "kimbot's own row",
	"aspiration_outbox.ticket_id":         "kimbot's own row",
	"bot_updates.update_id":               "Telegram's update counter: names no one",
	"deliveries.run_id":                   "kimbot's own row",
	"bot_updates.claimed_by":              "the number of the process holding the row",
	"deliveries.claimed_by":               "the number of the process holding the row",
	"aspiration_outbox.claimed_by":        "the number of the process holding the row",
	"deliveries.status":                   "counts",
	"bot_updates.status":                  "queue state",
	"aspiration_tickets.number":           "ticket number",
	"aspiration_tickets.village_code":     "the public record's place",
	"aspiration_tickets.category":         "the public record's category",
	"aspiration_tickets.check_result":     "what the authenticity check found for the forwarded message: names no one",
	"aspiration_tickets.status":           "ticket state",
	"aspiration_tickets.claimed_by_name":  "staff",
	"aspiration_tickets.answered_by_name": "staff",
	"aspiration_tickets.claimed_by":       "staff",
	"aspiration_tickets.answered_by":      "staff",
	"aspiration_messages.from_role":       "role",
	"aspiration_events.kind":              "event kind",
	"aspiration_events.status":            "ticket state",
	"aspiration_events.actor_role":        "role",
	"aspiration_outbox.kind":              "message kind",
	"aspiration_outbox.status":            "queue state",
}

// TestErase_EveryColumnClassified fails when a migration adds a column
// that may hold a resident's chat id, name, username, text or location
// without saying what /hapusdata does to it: add it to residentColumns
// (and erase it) or to otherColumns.
func TestErase_EveryColumnClassified(t *testing.T) {
	db := testenv.DB(t)
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
	}
	err := db.Select(&cols, `
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = 'public' AND data_type IN ('bigint', 'text', 'jsonb', 'bytea', 'ARRAY', 'character varying')
ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		name := c.Table + "." + c.Column
		_, personal := residentColumns[name]
		_, other := otherColumns[name]
		_, otherTable := otherColumns[c.Table+".*"]
		if !personal && !other && !otherTable && c.Column != "id" {
			t.Errorf("%s: can it hold a resident's chat id, name, username, text or location? Then erase it on /hapusdata and list it in residentColumns; otherwise list it in otherColumns", name)
		}
	}
}

// TestErase_NothingOfTheResidentRemains gives a resident a footprint in
// every area (subscription, a delivered announcement, an aspiration with
// their name and location, its posts, their updates), erases it with
// /hapusdata, and then looks for their chat id, name, username and
// location in every row of every table.
func TestErase_NothingOfTheResidentRemains(t *testing.T) {
	r := bottest.New(t, bottest.Options{Aspirations: func(*aspirations.Config) {}, Broadcast: true})
	u := emulator.User{ID: 777123456, FirstName: "Wiryawan", LastName: "Kusumojati", Username: "wiryawan_tlogo"}
	mod := emulator.User{ID: 6101, FirstName: "Sri"}
	const village = region.Code("35.73.05.1003")
	r.Moderator(mod, village, -100777)
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, village)
	_, err := broadcast.NewSchedules(r.DB, message.SystemClock{}).Create(r.Ctx, staff.Admin(), broadcast.Draft{
		Content: broadcast.Content{Text: "Kerja bakti Minggu pagi."},
		Targets: []region.Code{village}, Timing: broadcast.Timing{Kind: broadcast.KindNow}})
	r.Must(err)
	r.WaitText(u.ID, "Kerja bakti")

	r.Emu.SendText(u, "/aspirasi")
	prompt := r.WaitText(u.ID, "Pilih kategori")
	r.Emu.PressButton(u, u.ID, prompt.MessageID, bottest.Button(t, prompt, "Infrastruktur"))
	r.WaitText(u.ID, "Kategori")
	r.Emu.SendText(u, "Lampu jalan mati di gang tiga sejak seminggu")
	r.WaitText(u.ID, "foto, dokumen, atau lokasi")
	r.Emu.SendLocation(u, u.ID, -7.93317, 112.60321)
	anon := r.WaitText(u.ID, "Boleh moderator KIM melihat nama Anda")
	r.Emu.PressButton(u, u.ID, anon.MessageID, bottest.Button(t, anon, "Tampilkan nama"))
	preview := r.WaitText(u.ID, "Periksa dulu")
	r.Emu.PressButton(u, u.ID, preview.MessageID, bottest.Button(t, preview, "Kirim"))
	number := bottest.NumberIn(t, r.WaitText(u.ID, "tercatat").Text)
	r.WaitText(-100777, number, "Wiryawan")
	traces := []string{strconv.FormatInt(u.ID, 10), u.FirstName, u.LastName, u.Username, "-7.93317", "112.60321"}
	if found := tracesOf(t, r.DB, traces); len(found) == 0 {
		t.Fatal("the resident left no trace before erasing: the search below proves nothing")
	}

	r.Emu.SendText(u, "/hapusdata")
	ask := r.WaitText(u.ID, "Yakin")
	r.Emu.PressButton(u, u.ID, ask.MessageID, bottest.Button(t, ask, "Ya, hapus"))
	r.WaitText(u.ID, "sudah dihapus")
	for _, f := range tracesOf(t, r.DB, traces) {
		t.Errorf("after /hapusdata: %s", f)
	}
	var delivered int
	r.Must(r.DB.Get(&delivered, `SELECT count(*) FROM deliveries WHERE status = 'sent'`))
	if delivered != 1 {
		t.Errorf("%d sent deliveries after erasing, want the run's 1 kept without its chat id", delivered)
	}
}

// tracesOf looks for each trace in the text of every row of every table
// (regions, the reference data, aside) and says where it is.
func tracesOf(t *testing.T, db *sqlx.DB, traces []string) []string {
	t.Helper()
	var tables []string
	if err := db.Select(&tables, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'regions' ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, table := range tables {
		for _, tr := range traces {
			var n int
			q := fmt.Sprintf(`SELECT count(*) FROM %q x WHERE x::text LIKE '%%' || $1 || '%%'`, table)
			if err := db.Get(&n, q, tr); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				found = append(found, fmt.Sprintf("%q in %d rows of %s", tr, n, table))
			}
		}
	}
	return found
}
