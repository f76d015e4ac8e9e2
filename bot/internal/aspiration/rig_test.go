package aspiration_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/region"
)

// The people and places of the aspiration tests: Tlogomas and Merjosari
// are villages of Kec. Lowokwaru, Kota Malang.
const (
	villageA  region.Code = "35.73.05.1003" // Tlogomas
	villageB  region.Code = "35.73.05.1002" // Merjosari
	city      region.Code = "35.73"
	otherCity region.Code = "35.07"
	groupA    int64       = -100111
)

var (
	residentBudi  = emulator.User{ID: 5001, FirstName: "Budi", LastName: "Santoso", Username: "budis"}
	modA          = emulator.User{ID: 6001, FirstName: "Sri", LastName: "Moderator"}
	modA2         = emulator.User{ID: 6002, FirstName: "Agus"}
	modB          = emulator.User{ID: 6003, FirstName: "Joko"}
	operatorCity  = emulator.User{ID: 7001, FirstName: "Dinas"}
	otherOperator = emulator.User{ID: 7002, FirstName: "Lain"}
)

// newRig runs the bot with the aspirations Service and its outbox; tweak
// changes the Service's Config.
func newRig(t testing.TB, emu emulator.Options, tweak func(*aspirations.Config)) *bottest.Rig {
	t.Helper()
	return bottest.New(t, bottest.Options{Emulator: &emu, Aspirations: orNoTweak(tweak)})
}

// newRigRedis is newRig on rdb (a dead one for outage tests).
func newRigRedis(t testing.TB, emu emulator.Options, tweak func(*aspirations.Config), rdb *redis.Client, prefix string) *bottest.Rig {
	t.Helper()
	return bottest.New(t, bottest.Options{Emulator: &emu, Aspirations: orNoTweak(tweak), Redis: rdb, RedisPrefix: prefix})
}

func orNoTweak(tweak func(*aspirations.Config)) func(*aspirations.Config) {
	if tweak == nil {
		return func(*aspirations.Config) {}
	}
	return tweak
}

// startGuided starts the guided /aspirasi as u and picks category.
func startGuided(r *bottest.Rig, u emulator.User, category string) {
	r.T.Helper()
	r.Emu.SendText(u, "/aspirasi")
	prompt := r.WaitText(u.ID, "Pilih kategori")
	r.Emu.PressButton(u, u.ID, prompt.MessageID, bottest.Button(r.T, prompt, category))
	r.WaitText(u.ID, "Kategori: <b>"+category+"</b>")
}
