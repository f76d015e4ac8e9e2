package console_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/staff"
)

// An operator adds a KIM with the form (a bad field answered next to
// itself), edits it, and imports a list: the check shows every row and
// writes nothing, the import writes the rows it matched.
func TestKIMPages_AddEditImport(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	code, body, _ := post(t, op, r.srv.URL+"/kim/baru", url.Values{"nama": {"K"}, "wilayah": {"35.73.05.1003"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Nama KIM 3 sampai 80 huruf") {
		t.Fatalf("a one-letter name: %d %s", code, between(body, "<main>", "</main>"))
	}
	code, body, _ = post(t, op, r.srv.URL+"/kim/baru", url.Values{"nama": {"KIM Luar"}, "wilayah": {"35.07.23.2001"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "di luar wilayah kerja Anda") {
		t.Fatalf("a village of another regency: %d", code)
	}
	code, _, hdr := post(t, op, r.srv.URL+"/kim/baru", url.Values{"nama": {"KIM Tlogomas"}, "wilayah": {"35.73.05.1003"},
		"sk": {"188.45/1/2019"}, "sk_tanggal": {"2019-03-04"}, "kontak": {"0812-1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("add: %d", code)
	}
	page := hdr.Get("Location")
	_, body, _ = do(t, op, "GET", r.srv.URL+page)
	for _, want := range []string{"KIM Tlogomas", "188.45/1/2019, 04/03/2019", "Belum punya moderator", "Ingatkan moderator"} {
		if !strings.Contains(body, want) {
			t.Fatalf("%s lacks %q", page, want)
		}
	}
	code, _, _ = post(t, op, r.srv.URL+page+"/ubah", url.Values{"nama": {"KIM Tlogomas Sejahtera"}, "wilayah": {"35.73.05.1003"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d", code)
	}
	if _, body, _ = do(t, op, "GET", r.srv.URL+page); !strings.Contains(body, "KIM Tlogomas Sejahtera") || strings.Contains(body, "188.45") {
		t.Fatal("the edit did not replace the form's fields")
	}

	list := "nama;kelurahan;kecamatan\nKIM Merjosari;Merjosari;Lowokwaru\nKIM Entah;Kampung Entah;\nKIM Ngijo;Ngijo;\n"
	code, body = postFile(t, op, r.srv.URL+"/kim/impor", url.Values{"aksi": {"periksa"}}, "kim.csv", []byte(list))
	if code != http.StatusOK || !strings.Contains(body, "1 ditambah, 0 diubah, 0 sama, 2 tidak cocok") ||
		!strings.Contains(body, "Di luar wilayah kerja Anda") || !strings.Contains(body, "tidak ditemukan") {
		t.Fatalf("check: %d %s", code, between(body, "<main>", "</main>"))
	}
	var n int
	if err := r.db.Get(&n, `SELECT count(*) FROM kim WHERE name = 'KIM Merjosari'`); err != nil || n != 0 {
		t.Fatalf("the check wrote %d KIM, %v", n, err)
	}
	draft := between(body, `name="draf" value="`, `"`)
	// A check of another list in another tab keeps its own file.
	if code, _ := postFile(t, op, r.srv.URL+"/kim/impor", url.Values{"aksi": {"periksa"}}, "lain.csv",
		[]byte("nama;kelurahan\nKIM Lain;Sukun\n")); code != http.StatusOK {
		t.Fatalf("second check: %d", code)
	}
	code, body, _ = post(t, op, r.srv.URL+"/kim/impor", url.Values{"aksi": {"terapkan"}, "draf": {draft}})
	if code != http.StatusOK || !strings.Contains(body, "Impor selesai: 1 ditambah") {
		t.Fatalf("import: %d", code)
	}
	if err := r.db.Get(&n, `SELECT count(*) FROM kim WHERE name IN ('KIM Merjosari', 'KIM Lain')`); err != nil || n != 1 {
		t.Fatalf("%d KIM after importing the first tab's list, want only KIM Merjosari; %v", n, err)
	}
	if code, _, _ = post(t, op, r.srv.URL+"/kim/impor", url.Values{"aksi": {"terapkan"}, "draf": {draft}}); code != http.StatusConflict {
		t.Fatalf("importing again without a check: %d", code)
	}
	if code, _ = postFile(t, op, r.srv.URL+"/kim/impor", url.Values{"aksi": {"periksa"}}, "x.csv", []byte("kontak\n1\n")); code != http.StatusUnprocessableEntity {
		t.Fatalf("a list without names: %d", code)
	}
}

// The map's .xlsx has the summary per kecamatan and every kelurahan of
// Kota Malang, with numeric cells.
func TestPeta_XLSX(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	r.subscribe("35.73.05", 1, 4)
	code, body, hdr := do(t, op, "GET", r.srv.URL+"/peta?format=xlsx")
	if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "peta-kim-35.73.xlsx") {
		t.Fatalf("download: %d %v", code, hdr)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	villages, _ := f.GetRows("Kelurahan")
	summary, _ := f.GetRows("Ringkasan")
	if len(villages) != 58 || len(summary) != 7 {
		t.Fatalf("%d village rows and %d summary rows, want 57+1 and 5+1+1", len(villages), len(summary))
	}
	if typ, _ := f.GetCellType("Ringkasan", "H7"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("subscribers cell type %v", typ)
	}
	if total, _ := f.GetCellValue("Ringkasan", "H7", excelize.Options{RawCellValue: true}); total != "4" {
		t.Fatalf("the city's subscribers: %q", total)
	}
	if _, body, _ := do(t, op, "GET", r.srv.URL+"/peta?status=none&wilayah=35.73.05"); strings.Count(body, `class="tile kim-none"`) != 12 {
		t.Fatalf("Lowokwaru's tiles without a KIM: %d", strings.Count(body, `class="tile kim-none"`))
	}
}

// A moderator proposes in the console; the operator approves it edited,
// for the kecamatan, at a time: the schedule carries the credited,
// edited text to the kecamatan at that time.
func TestUsulPages_ApproveEditedForTheKecamatan(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	if _, err := r.dir.Add(t.Context(), staff.Admin(), 6001, staff.RoleModerator, "35.73.05.1003", nil); err != nil {
		t.Fatal(err)
	}
	mod := r.signIn(6001, "Sari")
	_, list, _ := do(t, mod, "GET", r.srv.URL+"/usul")
	form := url.Values{"teks": {"Posyandu <pindah> ke balai RW 2"}, "luas": {"1"}, "draf": {between(list, `name="draf" value="`, `"`)}}
	for i := 0; i < 2; i++ { // a double click files once
		if code, _, _ := post(t, mod, r.srv.URL+"/usul", form); code != http.StatusSeeOther {
			t.Fatalf("propose: %d", code)
		}
	}
	var id int64
	if err := r.db.Get(&id, `SELECT id FROM proposals`); err != nil {
		t.Fatalf("one proposal: %v", err)
	}
	page := fmt.Sprintf("%s/usul/%d", r.srv.URL, id)
	_, body, _ := do(t, op, "GET", page)
	if !strings.Contains(body, "Posyandu &lt;pindah&gt; ke balai RW 2") || !strings.Contains(body, `value="35.73.05" selected`) {
		t.Fatalf("the operator's page: %s", between(body, "<main>", "</main>"))
	}
	at := r.clock.Now().In(wib).Add(3 * time.Hour).Format("2006-01-02T15:04")
	code, body, _ := post(t, op, page+"/setujui", url.Values{"teks": {"Posyandu pindah ke <b>balai RW 2</b>"}, "wilayah": {"35.07"}, "pada": {at}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "di luar wilayah kerja") {
		t.Fatalf("a target outside the scope: %d", code)
	}
	if code, _, _ = post(t, op, page+"/setujui", url.Values{"teks": {"Posyandu pindah ke <b>balai RW 2</b>"}, "wilayah": {"35.73.05"}, "pada": {at}}); code != http.StatusSeeOther {
		t.Fatalf("approve: %d", code)
	}
	var got struct {
		Text    string `db:"text"`
		Targets string `db:"targets"`
		Next    string `db:"next"`
	}
	if err := r.db.Get(&got, `SELECT a.text, s.targets::text AS targets, to_char(s.next_run_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD"T"HH24:MI') AS next
		FROM schedules s JOIN announcements a ON a.id = s.announcement_id`); err != nil {
		t.Fatal(err)
	}
	if got.Text != "<b>Dari KIM Tlogomas</b>\n\nPosyandu pindah ke <b>balai RW 2</b>" || got.Targets != "{35.73.05}" || got.Next != at {
		t.Fatalf("schedule: %+v (at %s)", got, at)
	}
	// The month's recap counts it for the KIM (and its kecamatan).
	_, rekap, _ := do(t, op, "GET", r.srv.URL+"/aspirasi/rekap")
	var kimID int64
	if err := r.db.Get(&kimID, `SELECT kim_id FROM proposals WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	row := between(rekap, fmt.Sprintf(`<tr data-code="kim-%d">`, kimID), "</tr>")
	if !strings.Contains(rekap, "Per KIM") || !strings.Contains(row, "KIM Tlogomas") ||
		!strings.Contains(row, `data-label="Usulan disetujui" class="num">1<`) {
		t.Fatalf("the recap's KIM row: %q", row)
	}
}

// The queue filtered by KIM shows the tickets of the KIM's area only; a
// KIM outside the person's sight filters nothing (never widens).
func TestAspirasi_FilterByKIM(t *testing.T) {
	r := newRig(t)
	op := r.operator()
	merjosari := r.staffMember(6102, staff.RoleModerator, "35.73.05.1002", "Budi") // makes KIM Merjosari
	r.staffMember(6101, staff.RoleModerator, "35.73.05.1003", "Sari")              // makes KIM Tlogomas
	tlogomas := r.fileTicket(5201, "35.73.05.1003", "Saluran air tersumbat di RT 04", nil)
	other := r.fileTicket(5202, "35.73.05.1002", "Lampu jalan mati di RW 2", nil)
	var kimT int64
	if err := r.db.Get(&kimT, `SELECT id FROM kim WHERE area = '35.73.05.1003'`); err != nil {
		t.Fatal(err)
	}
	_, body, _ := do(t, op, "GET", fmt.Sprintf("%s/aspirasi?kim=%d", r.srv.URL, kimT))
	if !strings.Contains(body, tlogomas.Number) || strings.Contains(body, other.Number) || !strings.Contains(body, `<select name="kim"`) {
		t.Fatalf("the city's queue for KIM Tlogomas: %s", between(body, "<main>", "</main>"))
	}
	if _, body, _ = do(t, merjosari, "GET", fmt.Sprintf("%s/aspirasi?kim=%d", r.srv.URL, kimT)); strings.Contains(body, tlogomas.Number) ||
		!strings.Contains(body, other.Number) {
		t.Fatal("another KIM's filter changed Merjosari's queue")
	}
}
