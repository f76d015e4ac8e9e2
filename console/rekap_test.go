package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/internal/sheet"
)

// seedNovember writes November 2026 (WIB) for Kota Malang by hand, with
// what lies just outside it, for figures computed by hand:
//
//	ticket  village    filed (WIB)        first response  answered  rating
//	T1      Tlogomas   03 Nov 09.00       +2 h            yes       helpful
//	T2      Tlogomas   10 Nov 10.00       +10 h           yes       not
//	T3      Merjosari  20 Nov 08.00       +30 h (escal.)  no        —
//	T4      Merjosari  30 Nov 23.30       —               no        —
//	T7      Klojen     15 Nov 12.00       +4 h            yes       helpful
//	out:    Tlogomas 01 Dec 00.30 and 31 Oct 23.00; Kab. Malang 15 Nov
//
// Runs: R1 to the city on 5 Nov, summarised (Tlogomas 3 sent, Merjosari
// 2, Klojen 4); R2 to Tlogomas on 12 Nov, still counted live (2 sent, 1
// failed); out: the city on 20 Oct, Kab. Malang on 6 Nov.
func (r *rig) seedNovember() {
	r.t.Helper()
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
		if err != nil {
			r.t.Fatal(err)
		}
		return t
	}
	n := 0
	ticket := func(village, filed string, response time.Duration, answered bool, rating *bool) {
		n++
		created := at(filed)
		var first *time.Time
		if response > 0 {
			f := created.Add(response)
			first = &f
		}
		var id int64
		if err := r.db.Get(&id, `INSERT INTO aspiration_tickets (number, village_code, category, text, status, created_at, updated_at, queued_at, first_response_at, rating)
VALUES ($1, $2, 'lainnya', 'isi', 'dijawab', $3, $3, $3, $4, $5) RETURNING id`, "ASP-2026-9"+itoa(int64(n)), village, created, first, rating); err != nil {
			r.t.Fatal(err)
		}
		if answered {
			r.exec(`INSERT INTO aspiration_events (ticket_id, kind, status, actor_role, at) VALUES ($1, 'answered', 'dijawab', 'moderator', $2)`, id, *first)
		}
	}
	yes, no := true, false
	ticket("35.73.05.1003", "2026-11-03 09:00", 2*time.Hour, true, &yes)
	ticket("35.73.05.1003", "2026-11-10 10:00", 10*time.Hour, true, &no)
	ticket("35.73.05.1002", "2026-11-20 08:00", 30*time.Hour, false, nil)
	ticket("35.73.05.1002", "2026-11-30 23:30", 0, false, nil)
	ticket("35.73.02.1001", "2026-11-15 12:00", 4*time.Hour, true, &yes)
	ticket("35.73.05.1003", "2026-12-01 00:30", time.Hour, true, &yes)
	ticket("35.73.05.1003", "2026-10-31 23:00", time.Hour, true, &yes)
	ticket("35.07.01.2001", "2026-11-15 12:00", time.Hour, true, &yes)

	run := func(target, fire string, summarised bool) int64 {
		sc := r.schedule("Siaran "+fire, regionCode(target))
		var id int64
		var done any
		if summarised {
			done = at(fire)
		}
		if err := r.db.Get(&id, `INSERT INTO runs (schedule_id, fire_at, status, urgent, created_at, summarized_at)
VALUES ($1, $2, 'done', false, $2, $3) RETURNING id`, sc.ID, at(fire), done); err != nil {
			r.t.Fatal(err)
		}
		return id
	}
	r1 := run("35.73", "2026-11-05 08:00", true)
	for village, sent := range map[string]int{"35.73.05.1003": 3, "35.73.05.1002": 2, "35.73.02.1001": 4} {
		r.exec(`INSERT INTO run_region_counts (run_id, village_code, sent, failed, blocked, uncertain, cancelled) VALUES ($1, $2, $3, 1, 0, 0, 0)`, r1, village, sent)
	}
	r2 := run("35.73.05.1003", "2026-11-12 08:00", false)
	for i, status := range []string{"sent", "sent", "failed"} {
		chat := int64(8101 + i)
		r.exec(`INSERT INTO subscribers (chat_id, village_code, status) VALUES ($1, '35.73.05.1003', 'active')`, chat)
		r.exec(`INSERT INTO deliveries (run_id, chat_id, status, next_attempt_at) VALUES ($1, $2, $3, now())`, r2, chat, status)
	}
	run("35.73", "2026-10-20 08:00", true)
	run("35.07", "2026-11-06 08:00", true)
}

// The recap of November 2026 for the city's operator, per kecamatan and
// per kelurahan with the city's total, against the figures worked out by
// hand in seedNovember's table.
func TestRekap_SeededMonthByHand(t *testing.T) {
	r := newRig(t)
	r.seedNovember()
	code, page, _ := do(t, r.operator(), "GET", r.srv.URL+"/aspirasi/rekap?bulan=2026-11")
	if code != http.StatusOK {
		t.Fatalf("recap: %d", code)
	}
	// received, answered, median h, p90 h, helpful (rated), runs, delivered, proposals approved
	want := map[string]string{
		// Lowokwaru: responses 2, 10, 30 h: median 10, p90 10 + 0.8 × 20 = 26.
		"35.73.05": "Lowokwaru|4|2|10,0|26,0|50% (2)|2|7|0",
		"35.73.02": "Klojen|1|1|4,0|4,0|100% (1)|1|4|0",
		// Tlogomas: 2 and 10 h: median 6, p90 2 + 0.9 × 8 = 9.2.
		"35.73.05.1003": "Tlogomas|2|2|6,0|9,2|50% (2)|2|5|0",
		"35.73.05.1002": "Merjosari|2|0|30,0|30,0|—|1|2|0",
		"35.73.01":      "Blimbing|0|0|—|—|—|1|0|0",
		// The city: 2, 4, 10, 30 h: median 7, p90 10 + 0.7 × 20 = 24.
		"35.73": "Kota Malang, Jawa Timur|5|3|7,0|24,0|67% (3)|2|11|0",
	}
	rows := recapRows(page)
	for code, w := range want {
		if got := rows[code]; got != w {
			t.Errorf("%s: %q, want %q", code, got, w)
		}
	}
	if len(rows) != 1+5+57 {
		t.Errorf("%d rows, want the total, 5 kecamatan and 57 kelurahan", len(rows))
	}
}

var (
	recapRow  = regexp.MustCompile(`(?s)<tr data-code="([^"]*)">(.*?)</tr>`)
	recapCell = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tags      = regexp.MustCompile(`<[^>]+>`)
)

// recapRows are the recap tables' rows by code (the totals under the
// scope's code), cells joined by "|".
func recapRows(page string) map[string]string {
	out := map[string]string{}
	for _, m := range recapRow.FindAllStringSubmatch(page, -1) {
		var cells []string
		for _, c := range recapCell.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, strings.Join(strings.Fields(tags.ReplaceAllString(c[1], "")), " "))
		}
		code := m[1]
		if code == "Jumlah" {
			code = "35.73"
		}
		out[code] = strings.Join(cells, "|")
	}
	return out
}

// The recap's .xlsx holds the same figures as numbers (hours as decimals,
// the helpful share as a fraction shown in percent, empty cells where a
// figure does not exist), a summary with the month and a date cell, and
// the download is audited.
func TestRekap_XLSXCells(t *testing.T) {
	r := newRig(t)
	r.seedNovember()
	code, body, h := do(t, r.operator(), "GET", r.srv.URL+"/aspirasi/rekap?bulan=2026-11&format=xlsx")
	if code != http.StatusOK || h.Get("Content-Type") != sheet.ContentType || !strings.Contains(h.Get("Content-Disposition"), "rekap-aspirasi-2026-11.xlsx") {
		t.Fatalf("download: %d %v", code, h)
	}
	f := openXLSX(t, body)
	if got := f.GetSheetList(); strings.Join(got, "|") != "Ringkasan|Per kecamatan|Per kelurahan-desa" {
		t.Fatalf("sheets %q", got)
	}
	raw := func(sheetName, cell string) string {
		v, err := f.GetCellValue(sheetName, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if raw("Ringkasan", "A2") != "2026-11" || raw("Ringkasan", "B2") != "Kota Malang, Jawa Timur" {
		t.Errorf("summary: %q %q", raw("Ringkasan", "A2"), raw("Ringkasan", "B2"))
	}
	if typ, _ := f.GetCellType("Ringkasan", "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("the summary's date is a %v cell", typ)
	}
	rows, _ := f.GetRows("Per kecamatan")
	lowokwaru := 0
	for i, row := range rows {
		if len(row) > 0 && row[0] == "35.73.05" {
			lowokwaru = i + 1
		}
	}
	if lowokwaru == 0 || len(rows) != 1+5+1 {
		t.Fatalf("per kecamatan: %q", rows)
	}
	n := itoa(int64(lowokwaru))
	for cell, want := range map[string]string{"B": "Lowokwaru", "C": "4", "D": "2", "E": "10", "F": "26", "G": "2", "H": "0.5", "I": "2", "J": "7"} {
		if got := raw("Per kecamatan", cell+n); got != want {
			t.Errorf("Lowokwaru %s: %q, want %q", cell, got, want)
		}
		if cell != "B" {
			if typ, _ := f.GetCellType("Per kecamatan", cell+n); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("Lowokwaru %s is a %v cell", cell, typ)
			}
		}
	}
	total := itoa(int64(len(rows)))
	if raw("Per kecamatan", "A"+total) != "Jumlah" || raw("Per kecamatan", "C"+total) != "5" || raw("Per kecamatan", "E"+total) != "7" {
		t.Errorf("total row: %q", rows[len(rows)-1])
	}
	villages, _ := f.GetRows("Per kelurahan-desa")
	for i, row := range villages {
		if len(row) > 0 && row[0] == "35.73.05.1002" { // Merjosari: nothing rated, so no share
			if h := raw("Per kelurahan-desa", "H"+itoa(int64(i+1))); h != "" {
				t.Errorf("Merjosari's helpful share %q, want empty", h)
			}
			if p := raw("Per kelurahan-desa", "F"+itoa(int64(i+1))); p != "30" {
				t.Errorf("Merjosari's p90 %q", p)
			}
		}
	}
	if n := r.count(`SELECT count(*) FROM audit_log WHERE action = 'ekspor' AND detail = 'rekap-aspirasi-2026-11.xlsx'`); n != 1 {
		t.Errorf("%d downloads audited", n)
	}
}
