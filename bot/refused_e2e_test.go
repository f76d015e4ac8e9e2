package bot_test

import (
	"fmt"
	"testing"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// One update that PostgreSQL refuses must not stall the inbox: before,
// a lone surrogate in a text made the poller ask for the same batch
// forever (and the webhook answer 503 forever), so nobody after it was
// answered. Both transports: the surrogate is stored as U+FFFD and
// answered; an update PostgreSQL refuses even then is set aside, and every
// later message, of its sender too, is answered.
func TestInbox_RefusedUpdateStallsNothing(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			var r *bottest.Rig
			if mode == "webhook" {
				r, _ = webhookRig(t)
			} else {
				r = bottest.New(t, bottest.Options{})
			}
			a, b, c := emulator.User{ID: 9301, FirstName: "A"}, emulator.User{ID: 9302, FirstName: "B"}, emulator.User{ID: 9303, FirstName: "C"}
			r.Emu.RegisterUser(b)
			r.Emu.SendTextRaw(a, `"tlogo\ud800mas"`)
			r.Emu.SendRawUpdate(fmt.Sprintf(`"message":{"message_id":1,"date":1,"chat":{"id":%d,"type":"private","first_name":"B"},`+
				`"from":{"id":%d,"is_bot":false,"first_name":"B"},"text":"halo","x":1e999999}`, b.ID, b.ID))
			for _, u := range []emulator.User{a, b, c} {
				r.Emu.SendText(u, "/start 3573051003")
			}
			for _, u := range []emulator.User{a, b, c} {
				r.WaitText(u.ID, "Tlogomas")
			}
			if n := len(r.Emu.Messages(a.ID)); n < 2 {
				t.Errorf("A got %d messages; the text with a surrogate must be answered too", n)
			}
			var failed int
			r.Must(r.DB.Get(&failed, `SELECT count(*) FROM bot_updates WHERE status = 'failed' AND last_error LIKE '%22003%'`))
			if failed != 1 {
				t.Errorf("%d updates set aside as refused, want 1", failed)
			}
		})
	}
}
