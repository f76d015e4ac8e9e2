package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// TestBudget_OneBudgetForEveryMessage: against Telegram's strict 30 a
// second, a broadcast at the default rate, a burst of ticket posts to
// moderators and residents' commands all at once never get a 429, and
// every one of them arrives.
func TestBudget_OneBudgetForEveryMessage(t *testing.T) {
	t.Parallel()
	r := bottest.New(t, bottest.Options{Emulator: &emulator.Options{}, Rate: broadcast.DefaultRate,
		Broadcast: true, Aspirations: func(*aspirations.Config) {}})
	const village = region.Code("35.73.05.1003")
	const subscribers = 200
	for i := range subscribers {
		r.Resident(emulator.User{ID: 20000 + int64(i), FirstName: "Warga"}, village)
	}
	mods := make([]emulator.User, 10)
	for i := range mods {
		mods[i] = emulator.User{ID: 30000 + int64(i), FirstName: "Moderator"}
		r.Moderator(mods[i], village, 0)
	}
	_, err := broadcast.NewSchedules(r.DB, message.SystemClock{}).Create(r.Ctx, staff.Admin(), broadcast.Draft{
		Content: broadcast.Content{Text: "Pemadaman listrik bergilir besok pukul 09.00–12.00."},
		Targets: []region.Code{village}, Timing: broadcast.Timing{Kind: broadcast.KindNow}})
	r.Must(err)
	time.Sleep(time.Second) // the run is sending at the full rate
	filers := make([]emulator.User, 10)
	for i := range filers {
		filers[i] = emulator.User{ID: 20000 + int64(i), FirstName: "Warga"}
		r.Emu.SendText(filers[i], fmt.Sprintf("/aspirasi Jalan berlubang nomor %d di gang mawar", i))
	}
	for i := range 20 {
		r.Emu.SendText(emulator.User{ID: 20100 + int64(i), FirstName: "Warga"}, "/bantuan")
	}
	for i := range 20 {
		r.WaitText(20100+int64(i), "Cara memakai")
	}
	for _, u := range filers {
		r.WaitText(u.ID, "tercatat")
	}
	for _, m := range mods {
		r.WaitCount(m.ID, len(filers), "ASP-")
	}
	for i := range subscribers {
		r.WaitCount(20000+int64(i), 1, "Pemadaman")
	}
	if st := r.Emu.Stats(); st.RateLimited != 0 || st.MaxPerSecond > 30 {
		t.Fatalf("Telegram answered 429 %d times; at most %d sends in a second", st.RateLimited, st.MaxPerSecond)
	}
}
