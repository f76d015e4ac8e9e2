package console_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/staff"
)

func openXLSX(t *testing.T, body string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not an .xlsx: %v", err)
	}
	return f
}

// The aspirations download holds the tickets of the person's scope only
// (a moderator's village, an operator's city), with typed cells; the
// subscribers download counts per village of the scope. Both are audited.
func TestExports_ByScope(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	svc := aspirations.NewService(r.db, nil, "", r.clock, nil, aspirations.Config{TZ: wib})
	numbers := map[string]string{}
	for village, text := range map[string]string{"35.73.05.1003": "Tlogomas <script>x</script>", "35.73.05.1002": "Merjosari", "35.07.01.2001": "Kabupaten"} {
		tk, err := svc.File(ctx, aspirations.NewTicket{ResidentChat: 9000 + int64(len(numbers)), VillageCode: regionCode(village),
			Category: aspirations.CategoryHealth, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		numbers[village] = tk.Number
	}
	if _, err := r.dir.Add(ctx, staff.Admin(), 6001, staff.RoleModerator, "35.73.05.1003", nil); err != nil {
		t.Fatal(err)
	}
	mod := r.signIn(6001, "Moderator")
	code, body, h := do(t, mod, "GET", r.srv.URL+"/ekspor/aspirasi.xlsx")
	if code != http.StatusOK || h.Get("Content-Type") != sheet.ContentType || !strings.Contains(h.Get("Content-Disposition"), "aspirasi-") {
		t.Fatalf("moderator's download: %d %v", code, h)
	}
	rows, _ := openXLSX(t, body).GetRows("Aspirasi")
	if len(rows) != 2 || rows[1][0] != numbers["35.73.05.1003"] {
		t.Errorf("moderator of Tlogomas got %q", rows)
	}
	_, body, _ = do(t, r.signIn(operatorID, ""), "GET", r.srv.URL+"/ekspor/aspirasi.xlsx")
	f := openXLSX(t, body)
	rows, _ = f.GetRows("Aspirasi")
	if len(rows) != 3 || strings.Contains(strings.Join(rows[1], " ")+strings.Join(rows[2], " "), numbers["35.07.01.2001"]) {
		t.Errorf("city operator got %q", rows)
	}
	if typ, _ := f.GetCellType("Aspirasi", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("date cell is %v", typ)
	}

	r.exec(`INSERT INTO subscribers (chat_id, village_code, status) VALUES (1, '35.73.05.1003', 'active'), (2, '35.73.05.1003', 'stopped'), (3, '35.07.01.2001', 'active')`)
	_, body, _ = do(t, mod, "GET", r.srv.URL+"/ekspor/pelanggan.xlsx")
	g := openXLSX(t, body)
	rows, _ = g.GetRows(g.GetSheetName(0))
	if len(rows) != 2 || rows[1][0] != "35.73.05.1003" || rows[1][3] != "1" || rows[1][4] != "1" {
		t.Errorf("moderator's subscribers: %q", rows)
	}
	if v, _ := g.GetCellValue(g.GetSheetName(0), "D2", excelize.Options{RawCellValue: true}); v != "1" {
		t.Errorf("active count %q", v)
	}
	if n := r.count(`SELECT count(*) FROM audit_log WHERE action = 'ekspor'`); n != 3 {
		t.Errorf("%d downloads audited, want 3", n)
	}
}

// The audit log shows what happened within the operator's scope, newest
// first, paginated; a name someone typed is shown as text.
func TestAudit_ScopeOrderAndEscaping(t *testing.T) {
	r := newRig(t)
	r.exec(`DELETE FROM audit_log`) // the rig's own staff; this test writes the rows it reads
	for i, scope := range []string{"35.73.05.1003", "35.07", "", "35.73"} {
		r.clock.Advance(1000000000)
		r.exec(`INSERT INTO audit_log (at, actor_role, actor_id, actor_name, action, scope, detail) VALUES ($1, 'operator', 7100, $2, 'batal', $3, $4)`,
			r.clock.Now(), "<script>alert(1)</script>", scope, "catatan-"+string(rune('a'+i)))
	}
	b := r.signIn(operatorID, "")
	code, body, _ := do(t, b, "GET", r.srv.URL+"/audit")
	if code != http.StatusOK {
		t.Fatalf("audit: %d", code)
	}
	d, a, sign := strings.Index(body, "catatan-d"), strings.Index(body, "catatan-a"), strings.Index(body, "masuk ke konsol")
	if d < 0 || a < 0 || sign < 0 || !(sign < d && d < a) {
		t.Errorf("want the sign-in, then d, then a (newest first): %d %d %d", sign, d, a)
	}
	if strings.Contains(body, "catatan-b") || strings.Contains(body, "catatan-c") {
		t.Error("rows of another regency or of the whole country shown")
	}
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("a typed name reached the page as markup")
	}
	if !strings.Contains(body, "membatalkan siaran") || !strings.Contains(body, "Tlogomas") {
		t.Errorf("actions and places in words: %s", body)
	}
	for range 25 { // older than all above: pages 1 and 2 hold 3+17 and 8 rows
		r.exec(`INSERT INTO audit_log (at, actor_role, actor_id, action, scope) VALUES ($1, 'operator', 1, 'jeda', '35.73')`, r.clock.Now().Add(-time.Hour))
	}
	_, body, _ = do(t, b, "GET", r.srv.URL+"/audit")
	if !strings.Contains(body, "catatan-a") || strings.Count(body, "menjeda siaran") != 17 || !strings.Contains(body, `href="/audit?hal=2"`) {
		t.Errorf("page 1: %s", body)
	}
	_, body, _ = do(t, b, "GET", r.srv.URL+"/audit?hal=2")
	if strings.Count(body, "menjeda siaran") != 8 || !strings.Contains(body, `href="/audit?hal=1"`) || strings.Contains(body, "?hal=3") {
		t.Errorf("page 2: %s", body)
	}
}

// Every action the services audit has words on the audit page.
func TestAudit_EveryActionInWords(t *testing.T) {
	for _, a := range []string{"masuk", "keluar", "ekspor", "buat", "jeda", "lanjut", "batal", "undang", "cabut_undangan",
		"hapus_peran", "tambah_peran", "gabung", "ambil_aspirasi", "jawab_aspirasi", "tolak_aspirasi", "teruskan_aspirasi"} {
		if !catalog.Has(catalog.Key("web.audit." + a)) {
			t.Errorf("audit action %q has no text", a)
		}
	}
}
