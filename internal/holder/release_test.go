package holder

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
)

// PostgreSQL ends every session and refuses new ones for a moment (a
// restart). A live process's claims must stay its own, although for a
// while after PostgreSQL is back no lock is held: its sends are made and
// their outcomes wait to be written. A dead process's claims come back
// once the live holders had the time to take their numbers again.
func TestRelease_AfterAnOutageLiveHoldersKeepTheirClaims(t *testing.T) {
	db := testenv.DB(t)
	alive, dead := Start(db, nil), Start(db, nil)
	defer alive.Stop()
	idAlive, idDead := alive.Current(), dead.Current()
	dead.Stop()
	if _, err := db.Exec(`CREATE TABLE claims (id int PRIMARY KEY, claimed_by bigint)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO claims VALUES (1, $1), (2, $2)`, idAlive, idDead); err != nil {
		t.Fatal(err)
	}
	testenv.DatabaseAway(t, db, 1500*time.Millisecond)
	time.Sleep(1500 * time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Release(ctx, db, nil, "claims", `UPDATE claims SET claimed_by = NULL
WHERE claimed_by IS NOT NULL AND claimed_by NOT IN (`+Live+`)`)
	}()
	defer func() { cancel(); <-done }()

	holders := func() (a, d int64) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if err := db.QueryRow(`SELECT COALESCE((SELECT claimed_by FROM claims WHERE id = 1), 0),
                COALESCE((SELECT claimed_by FROM claims WHERE id = 2), 0)`).Scan(&a, &d); err == nil {
				return a, d
			}
		}
		t.Fatal("the database did not come back")
		return 0, 0
	}
	back := time.Now()
	for _, d := holders(); d != 0; _, d = holders() {
		if time.Since(back) > 15*time.Second {
			t.Fatalf("the dead holder's claim still held %v after the outage", time.Since(back))
		}
	}
	if a, _ := holders(); a != idAlive {
		t.Fatalf("the live holder's claim was taken back (claimed by %d, want %d)", a, idAlive)
	}
	if alive.Current() != idAlive {
		t.Fatalf("the live holder took %d, want its number %d back", alive.Current(), idAlive)
	}
	t.Logf("the dead holder's claim came back %v after the database did", time.Since(back).Round(time.Millisecond))
}
