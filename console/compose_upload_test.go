package console_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/emulator"
)

var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// A photo goes to Telegram through the operator's own chat at the
// preview, and the schedule carries the file_id Telegram returned; a
// file of another type or too big is refused next to the file field.
func TestCompose_PhotoUploadGetsAFileID(t *testing.T) {
	r := newRig(t)
	r.emu.SendText(emulator.User{ID: operatorID, FirstName: "Dinas"}, "/masuk") // the operator's chat with the bot
	op := r.operator()
	form := composeForm("<b>Jadwal posyandu</b>", "35.73.05.1003")

	code, page := postFile(t, op, r.srv.URL+"/siaran/baru", form, "catatan.txt", []byte("just text, named anything"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, catalog.T("web.compose.err.file_type")) {
		t.Fatalf("a text file: %d", code)
	}
	big := append(append([]byte{}, pngHeader...), bytes.Repeat([]byte{0}, 10<<20)...)
	code, page = postFile(t, op, r.srv.URL+"/siaran/baru", form, "besar.png", big)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, catalog.T("web.compose.err.file_too_big", 10, "foto")) {
		t.Fatalf("an 10 MB+ photo: %d", code)
	}
	if n := len(r.emu.Messages(operatorID)); n != 0 {
		t.Fatalf("refused files reached Telegram: %d", n)
	}

	code, page = postFile(t, op, r.srv.URL+"/siaran/baru", form, "poster.txt", append(pngHeader, "rest"...))
	if code != http.StatusOK || !strings.Contains(page, "poster.txt") {
		t.Fatalf("photo preview: %d\n%s", code, page)
	}
	sent := r.emu.Messages(operatorID)
	if len(sent) != 1 || sent[0].Method != "sendPhoto" || sent[0].PhotoFileID == "" {
		t.Fatalf("Telegram got %+v", sent)
	}
	confirm := hiddenForm(t, page)
	confirm.Set("aksi", "kirim")
	if code, _, _ := post(t, op, r.srv.URL+"/siaran/baru", confirm); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	var photo, text string
	if err := r.db.QueryRow(`SELECT photo_file_id, text FROM announcements`).Scan(&photo, &text); err != nil ||
		photo != sent[0].PhotoFileID || text != "<b>Jadwal posyandu</b>" {
		t.Fatalf("announcement photo %q (want %q), caption %q, %v", photo, sent[0].PhotoFileID, text, err)
	}
}

// Refusals come from broadcast's rules and stand next to their field;
// nothing is saved.
func TestCompose_ErrorsNextToTheirField(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	tests := []struct {
		name, field string
		set         map[string]string
		want        string
	}{
		{"past time", "pada", map[string]string{"waktu": "once", "pada": "2020-01-01T08:00"}, catalog.T("web.compose.err.past_time")},
		{"cron too often", "cron", map[string]string{"waktu": "cron", "cron": "* 8 * * *"}, catalog.T("web.compose.err.cron_too_often")},
		{"outside the scope", "target", map[string]string{"target": "35.07.01"}, catalog.T("web.compose.err.out_of_scope")},
		{"no target", "target", map[string]string{"target": ""}, catalog.T("web.compose.err.bad_targets")},
		{"empty text", "teks", map[string]string{"teks": "   "}, catalog.T("web.compose.err.text_empty")},
		{"bad button", "tombol", map[string]string{"tombol": "Daftar | javascript:alert(1)"}, "javascript:alert(1)"},
		// Values the form never offers, posted all the same.
		{"forged weekday", "hari", map[string]string{"waktu": "weekly", "jam": "08:00", "hari": "9"}, catalog.T("web.compose.err.bad_weekday")},
		{"forged day of month", "tanggal", map[string]string{"waktu": "monthly", "jam": "08:00", "tanggal": "31"}, catalog.T("web.compose.err.bad_monthday")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := composeForm("Pengumuman", "35.73.05")
			for k, v := range tt.set {
				form.Set(k, v)
			}
			if form.Get("target") == "" {
				form.Del("target")
			}
			code, page, _ := post(t, op, r.srv.URL+"/siaran/baru", form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", code)
			}
			// The refusal sits in the field's own block, after its input.
			anchor := `name="` + tt.field + `"`
			if tt.field == "target" { // its refusal heads the tree
				anchor = catalog.T("web.compose.targets") + "</legend>"
			}
			_, after, _ := strings.Cut(page, anchor)
			if !strings.Contains(after, `<p class="err" role="alert">`) || !strings.Contains(after, htmlEscape(tt.want)) {
				t.Fatalf("no %q near %s", tt.want, tt.field)
			}
		})
	}
	code, page, _ := post(t, op, r.srv.URL+"/siaran/baru", map[string][]string{"teks": {"x"}, "target": {"35.73.05"},
		"waktu": {"weekly"}, "jam": {"07:30"}, "hari": {"1"}, "zona": {"Asia/Makassar"}})
	if code != http.StatusOK || !strings.Contains(page, "07.30 WITA") || strings.Count(page, "<li>") < 5 {
		t.Fatalf("weekly preset: %d, want its words and five fires\n%s", code, page)
	}
	var n int
	_ = r.db.QueryRow(`SELECT count(*) FROM schedules`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d schedules saved by refused or previewed forms", n)
	}
}

var htmlEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

// draftOf is the draft name a page's form carries.
func draftOf(t *testing.T, page string) string {
	t.Helper()
	d := hiddenForm(t, page).Get("draf")
	if len(d) != 32 {
		t.Fatalf("the page carries no draft name:\n%s", page)
	}
	return d
}

// Two drafts in two tabs keep their own file: previewing a text-only
// announcement after a photo one neither takes the photo nor drops it
// from the first (the file was once one per session, so what was
// previewed was not always what went out).
func TestCompose_DraftsKeepTheirOwnFile(t *testing.T) {
	r := newRig(t)
	r.emu.SendText(emulator.User{ID: operatorID, FirstName: "Dinas"}, "/masuk")
	op := r.operator()
	code, withPhoto := postFile(t, op, r.srv.URL+"/siaran/baru", composeForm("Tab A dengan foto", "35.73.05.1003"), "a.png", append(pngHeader, "a"...))
	if code != http.StatusOK {
		t.Fatalf("photo preview: %d", code)
	}
	if code, _, _ := do(t, op, "GET", r.srv.URL+"/siaran/baru"); code != http.StatusOK { // a second tab
		t.Fatal("new form")
	}
	code, textOnly, _ := post(t, op, r.srv.URL+"/siaran/baru", composeForm("Tab B hanya teks", "35.73.05.1003"))
	if code != http.StatusOK || strings.Contains(textOnly, "a.png") {
		t.Fatalf("the text-only draft shows the other draft's file: %d", code)
	}
	for _, page := range []string{textOnly, withPhoto} {
		confirm := hiddenForm(t, page)
		confirm.Set("aksi", "kirim")
		if code, _, _ := post(t, op, r.srv.URL+"/siaran/baru", confirm); code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", code)
		}
	}
	var got []string
	if err := r.db.Select(&got, `SELECT text || ':' || (COALESCE(photo_file_id, '') <> '') FROM announcements ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "Tab B hanya teks:false Tab A dengan foto:true" {
		t.Fatalf("announcements %v, want B without and A with the photo", got)
	}
}

// A file that was fine is kept with its draft when another field is
// refused, as the page says, and goes out without being chosen again.
func TestCompose_FileKeptThroughAnError(t *testing.T) {
	r := newRig(t)
	r.emu.SendText(emulator.User{ID: operatorID, FirstName: "Dinas"}, "/masuk")
	op := r.operator()
	form := composeForm("Poster kerja bakti", "")
	form.Del("target")
	code, page := postFile(t, op, r.srv.URL+"/siaran/baru", form, "poster.png", append(pngHeader, "p"...))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "poster.png") {
		t.Fatalf("no target: %d", code)
	}
	form = composeForm("Poster kerja bakti", "35.73.05.1003")
	form.Set("draf", draftOf(t, page))
	code, page, _ = post(t, op, r.srv.URL+"/siaran/baru", form) // no file chosen this time
	if code != http.StatusOK || !strings.Contains(page, "poster.png") {
		t.Fatalf("the fixed draft lost its file: %d", code)
	}
	confirm := hiddenForm(t, page)
	confirm.Set("aksi", "kirim")
	if code, _, _ := post(t, op, r.srv.URL+"/siaran/baru", confirm); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	var photo string
	if err := r.db.Get(&photo, `SELECT COALESCE(photo_file_id, '') FROM announcements`); err != nil || photo == "" {
		t.Fatalf("the announcement has no photo (%v)", err)
	}
}

// Confirming one draft twice (a double click, the back button, posts at
// once) makes one schedule, and both answers lead to it.
func TestCompose_ConfirmTwiceOneSchedule(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	_, page, _ := post(t, op, r.srv.URL+"/siaran/baru", composeForm("Peringatan banjir", "35.73.05"))
	confirm := hiddenForm(t, page)
	confirm.Set("aksi", "kirim")
	where := make(chan string, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, _, h := post(t, op, r.srv.URL+"/siaran/baru", confirm)
			where <- h.Get("Location")
		})
	}
	wg.Wait()
	close(where)
	seen := map[string]bool{}
	for loc := range where {
		seen[loc] = true
	}
	var n int
	if err := r.db.Get(&n, `SELECT count(*) FROM schedules`); err != nil || n != 1 {
		t.Fatalf("%d schedules from one draft confirmed 4 times (%v)", n, err)
	}
	if len(seen) != 1 {
		t.Errorf("the confirmations led to %v, want one schedule's page", seen)
	}
}
