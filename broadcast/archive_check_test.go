package broadcast_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// Announcements as Diskominfo Kota Malang writes them.
const (
	vaksinHTML = "<b>📢 PENGUMUMAN</b>\nVaksinasi campak gratis untuk balita di Posyandu Melati, Kelurahan Tlogomas, " +
		"pada <b>Sabtu, 30 November 2026</b> pukul 08.00–12.00 WIB. Bawa buku KIA. 🙏\n" +
		`Info: <a href="https://malangkota.go.id/vaksin">malangkota.go.id/vaksin</a>`
	bansosHTML = "Bantuan sosial tunai <b>Rp300.000</b> dicairkan di Kantor Pos Lowokwaru mulai 2 Desember 2026. " +
		"Tidak ada pungutan biaya apa pun. Pendaftaran hanya di kantor kelurahan."
	// Another notice on the same topic from the same office's template:
	// official in its own right, never an "edited copy" of vaksinHTML.
	polioText = "PENGUMUMAN Vaksinasi polio gratis untuk anak SD di Puskesmas Dinoyo, Kelurahan Dinoyo, " +
		"pada Senin, 2 Desember 2026 pukul 09.00–11.00 WIB. Bawa kartu pelajar."
)

// archiveEnv is schedEnv with an archive and two announcements sent.
type archiveEnv struct {
	*schedEnv
	archive        *broadcast.Archive
	vaksin, bansos broadcast.Schedule
}

func newArchiveEnv(t *testing.T) *archiveEnv {
	t.Helper()
	e := &archiveEnv{schedEnv: newSchedEnv(t)}
	e.archive = broadcast.NewArchive(e.db, e.clock)
	e.vaksin = e.create(t, opMalang, textDraft(vaksinHTML, broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05.1003"))
	e.bansos = e.create(t, opMalang, textDraft(bansosHTML, broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05"))
	e.markSent(t, e.vaksin, e.bansos)
	return e
}

// markSent sets what the engine sets when Telegram accepts a delivery.
func (e *archiveEnv) markSent(t *testing.T, scs ...broadcast.Schedule) {
	t.Helper()
	for _, sc := range scs {
		if _, err := e.db.Exec(`UPDATE announcements SET first_sent_at = $2
			WHERE id = (SELECT announcement_id FROM schedules WHERE id = $1)`, sc.ID, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *archiveEnv) check(t *testing.T, s broadcast.Suspect) broadcast.Verdict {
	t.Helper()
	v, err := e.archive.Check(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func visibleOf(t *testing.T, html string) string {
	t.Helper()
	v, err := message.VisibleText(html)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A forward is the visible text Telegram gives the bot (the formatting
// in entities, the link behind its words as a text_link): official.
func TestArchive_CheckExactForward(t *testing.T) {
	e := newArchiveEnv(t)
	v := e.check(t, broadcast.Suspect{Text: visibleOf(t, vaksinHTML), Links: []string{"https://malangkota.go.id/vaksin"}})
	if v.Result != broadcast.CheckOfficial || v.Entry.Key != e.vaksin.ArchiveKey || v.Entry.Office() != "35.73" {
		t.Fatalf("exact forward: %+v", v)
	}
	if len(v.Entry.Targets) != 1 || v.Entry.Targets[0] != "35.73.05.1003" {
		t.Errorf("area: %v", v.Entry.Targets)
	}
}

// A copy passed on without its formatting, its emoji, its line breaks,
// in other case and in "fancy" letters is still the official text.
func TestArchive_CheckFormattingStripped(t *testing.T) {
	e := newArchiveEnv(t)
	copies := []string{
		"PENGUMUMAN Vaksinasi campak gratis untuk balita di Posyandu Melati, Kelurahan Tlogomas, pada Sabtu, " +
			"30 November 2026 pukul 08.00-12.00 WIB. Bawa buku KIA. Info: malangkota.go.id/vaksin",
		"*pengumuman*   vaksinasi campak gratis untuk balita di posyandu melati kelurahan tlogomas pada sabtu 30 november 2026 " +
			"pukul 08.00 - 12.00 wib bawa buku kia ✅✅ info malangkota.go.id/vaksin",
		"𝐏𝐄𝐍𝐆𝐔𝐌𝐔𝐌𝐀𝐍 Vaksinasi campak gratis untuk balita di Posyandu Melati, Kelurahan Tlogomas, pada Sabtu, 30 November 2026 " +
			"pukul 08.00–12.00 WIB.\n\nBawa buku KIA.\nInfo: malangkota.go.id/vaksin",
	}
	for i, text := range copies {
		if v := e.check(t, broadcast.Suspect{Text: text}); v.Result != broadcast.CheckOfficial || v.Entry.Key != e.vaksin.ArchiveKey {
			t.Errorf("copy %d: %s, want official", i, v.Result)
		}
	}
}

// One date changed: an edited copy, never official, showing the date.
func TestArchive_CheckOneDateChanged(t *testing.T) {
	e := newArchiveEnv(t)
	doctored := strings.Replace(visibleOf(t, vaksinHTML), "30 November", "7 Desember", 1)
	v := e.check(t, broadcast.Suspect{Text: doctored, Links: []string{}})
	if v.Result != broadcast.CheckEdited || v.Entry.Key != e.vaksin.ArchiveKey {
		t.Fatalf("one date changed: %+v", v)
	}
	if len(v.Changes) != 1 || v.Changes[0].Official != "30 November" || v.Changes[0].Copy != "7 Desember" {
		t.Errorf("changes: %+v", v.Changes)
	}
	// An amount and the link behind the words, both changed.
	bansos := strings.Replace(visibleOf(t, bansosHTML), "Rp300.000", "Rp3.000.000", 1) + " Daftar: bit.ly/bansos-cepat"
	v = e.check(t, broadcast.Suspect{Text: bansos})
	if v.Result != broadcast.CheckEdited || len(v.Changes) != 2 || v.Changes[0].Official != "Rp300.000" ||
		v.Changes[0].Copy != "Rp3.000.000" || v.Changes[1].Copy != "Daftar: bit.ly/bansos-cepat" {
		t.Fatalf("amount and link: %+v", v)
	}
	// The words kept, the link behind them swapped.
	v = e.check(t, broadcast.Suspect{Text: visibleOf(t, vaksinHTML), Links: []string{"https://ma1angkota-vaksin.xyz/daftar"}})
	if v.Result != broadcast.CheckEdited || len(v.Changes) != 1 || !strings.Contains(v.Changes[0].Copy, "ma1angkota") {
		t.Fatalf("hidden link swapped: %+v", v)
	}
}

// Unrelated texts, another notice on the same topic and texts too short
// to compare are not official and not an edited copy of anything.
func TestArchive_CheckUnrelated(t *testing.T) {
	e := newArchiveEnv(t)
	for _, text := range []string{
		"Segera klik link berikut untuk mendapatkan subsidi kuota internet 100GB dari pemerintah: bit.ly/kuota-gratis",
		polioText,
		"info vaksin?",
		"Vaksinasi campak",
		"",
	} {
		if v := e.check(t, broadcast.Suspect{Text: text}); v.Result != broadcast.CheckUnknown {
			t.Errorf("%q: %s (%+v), want unknown", text, v.Result, v.Changes)
		}
	}
}

// A photo is known by its file_unique_id: the official photo is official
// (with or without its caption), another photo with the official caption
// is an edited copy, another photo alone is unknown.
func TestArchive_CheckPhoto(t *testing.T) {
	e := newArchiveEnv(t)
	d := textDraft("Peta jalur evakuasi banjir Kelurahan Tlogomas.", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05.1003")
	d.Content.PhotoFileID = "AgACphoto-evakuasi"
	sc := e.create(t, opMalang, d)
	e.markSent(t, sc)
	if _, err := e.archive.IndexPhotos(context.Background(), fileIDs{"AgACphoto-evakuasi": "AQADunique-evakuasi"}, 10); err != nil {
		t.Fatal(err)
	}
	sizes := []string{"AQADsmall", "AQADunique-evakuasi"}
	for _, caption := range []string{"Peta jalur evakuasi banjir Kelurahan Tlogomas.", ""} {
		if v := e.check(t, broadcast.Suspect{Text: caption, Photos: sizes, Links: []string{}}); v.Result != broadcast.CheckOfficial || v.Entry.Key != sc.ArchiveKey {
			t.Errorf("official photo, caption %q: %+v", caption, v)
		}
	}
	v := e.check(t, broadcast.Suspect{Text: "Peta jalur evakuasi banjir Kelurahan Tlogomas.", Photos: []string{"AQADother"}})
	if v.Result != broadcast.CheckEdited || !v.PhotoDiffers {
		t.Errorf("another photo, official caption: %+v", v)
	}
	if v := e.check(t, broadcast.Suspect{Photos: []string{"AQADother"}}); v.Result != broadcast.CheckUnknown {
		t.Errorf("another photo alone: %+v", v)
	}
}

// fileIDs is Telegram's getFile for the test: file_id → file_unique_id.
type fileIDs map[string]string

func (f fileIDs) UniqueID(_ context.Context, id string) (string, error) {
	if u, ok := f[id]; ok {
		return u, nil
	}
	return "", &message.SendError{Kind: message.Permanent}
}

// Only what went out is official: a schedule that has not sent yet (or
// was cancelled before) is unknown to the check and not in the archive.
func TestArchive_OnlyWhatWentOut(t *testing.T) {
	e := newArchiveEnv(t)
	later := e.create(t, opMalang, textDraft("Kerja bakti membersihkan saluran air se-Kecamatan Lowokwaru hari Minggu pukul 06.00 WIB.",
		broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05"))
	if v := e.check(t, broadcast.Suspect{Text: "Kerja bakti membersihkan saluran air se-Kecamatan Lowokwaru hari Minggu pukul 06.00 WIB."}); v.Result != broadcast.CheckUnknown {
		t.Errorf("not sent yet: %s", v.Result)
	}
	if _, err := e.archive.Get(context.Background(), later.ArchiveKey); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("archive page of an unsent schedule: %v", err)
	}
	if n := countRows(t, e, `SELECT count(*) FROM archive_checks`); n != 1 {
		t.Errorf("%d checks recorded, want 1", n)
	}
}

// The archive lists what went out, newest first, per area (an area also
// shows what was sent to a region holding it), never what opted out.
func TestArchive_ListHidesOptedOut(t *testing.T) {
	e := newArchiveEnv(t)
	no := false
	d := textDraft("Rapat internal pengurus KIM se-Kota Malang.", broadcast.Timing{Kind: broadcast.KindNow}, "35.73")
	d.Archive = &no
	private := e.create(t, opMalang, d)
	e.markSent(t, private)
	if private.ArchiveKey != "" {
		t.Fatalf("an opted-out schedule has archive key %q", private.ArchiveKey)
	}
	ctx := context.Background()
	for area, want := range map[region.Code][]string{
		"":              {e.bansos.ArchiveKey, e.vaksin.ArchiveKey},
		"35.73.05.1003": {e.bansos.ArchiveKey, e.vaksin.ArchiveKey}, // the kecamatan-wide notice reached Tlogomas
		"35.73.05.1002": {e.bansos.ArchiveKey},
		"35.73.01":      nil,
	} {
		list, err := e.archive.List(ctx, area, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, en := range list {
			got = append(got, en.Key)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("area %q: %v, want %v", area, got, want)
		}
	}
	// Still official in chat, without a link.
	v := e.check(t, broadcast.Suspect{Text: "Rapat internal pengurus KIM se-Kota Malang."})
	if v.Result != broadcast.CheckOfficial || v.Entry.Key != "" {
		t.Errorf("opted-out announcement in chat: %+v", v)
	}
}

func countRows(t *testing.T, e *archiveEnv, q string) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, q); err != nil {
		t.Fatal(err)
	}
	return n
}

// An announcement kept out of the archive is recognised, but an edited
// copy of it shows no words of it: guessing word by word must not
// recover a text that was not published.
func TestArchive_CheckHidesWhatIsNotPublic(t *testing.T) {
	e := newArchiveEnv(t)
	secret := "Rapat internal pengurus KIM membahas anggaran kegiatan bulan Desember di rumah Pak Budi pukul 19.00"
	d := textDraft(secret, broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05.1003")
	off := false
	d.Archive = &off
	sc := e.create(t, opMalang, d)
	e.markSent(t, sc)
	if v := e.check(t, broadcast.Suspect{Text: secret}); v.Result != broadcast.CheckOfficial || v.Entry.Key != "" {
		t.Fatalf("the exact text: %+v", v)
	}
	v := e.check(t, broadcast.Suspect{Text: strings.Replace(secret, "Budi", "Siapa", 1)})
	if v.Result != broadcast.CheckEdited || len(v.Changes) != 0 || v.More {
		t.Fatalf("a guess at a word of it: %+v", v)
	}
}
