package aspirations_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

func TestReport_CSV(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Jalan rusak, \"parah\" sekali\nbaris dua")
	r.clock.Advance(90 * time.Minute)
	evil := actorModA
	evil.Name = "=HYPERLINK(\"http://x\")"
	_, err := r.svc.Answer(r.ctx, evil, tk.ID, "Sudah ditangani")
	r.must(err)
	_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageB, Text: "Di Merjosari ada masalah"})
	r.must(err)

	var buf bytes.Buffer
	w, err := aspirations.NewCSVWriter(&buf, r.svc.TZ())
	r.must(err)
	r.must(r.svc.Report(r.ctx, staff.Admin(), aspirations.ReportFilter{Region: villageA}, w.Write))
	r.must(w.Flush())
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF\"tiket\",\"tanggal\",\"kelurahan/desa\",\"kecamatan\",\"kategori\",\"status\",\"waktu respons pertama (jam)\",\"dijawab oleh\"\r\n") {
		t.Fatalf("header: %q", out)
	}
	want := "\"" + tk.Number + "\",\"2026-11-22 10:00\",\"Tlogomas\",\"Lowokwaru\",\"Infrastruktur\",\"Dijawab\",\"1.5\",\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("row:\n%q\nwant suffix\n%q", out, want)
	}
	if strings.Count(out, "\r\n") != 2 || strings.Contains(out, "Merjosari") {
		t.Errorf("region filter or line ends wrong: %q", out)
	}
	// Status filter and scope.
	var n int
	r.must(r.svc.Report(r.ctx, actorModDist, aspirations.ReportFilter{Status: aspirations.StatusNew},
		func(aspirations.ReportRow) error { n++; return nil }))
	if n != 1 {
		t.Errorf("district baru rows %d", n)
	}
	err = r.svc.Report(r.ctx, actorModA, aspirations.ReportFilter{Region: city}, func(aspirations.ReportRow) error { return nil })
	isErr(t, err, aspirations.ErrForbidden)
	err = r.svc.Report(r.ctx, actorResident, aspirations.ReportFilter{}, func(aspirations.ReportRow) error { return nil })
	isErr(t, err, aspirations.ErrForbidden)
}

func TestDefuseFormula(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+62812": "'+62812", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"Tlogomas": "Tlogomas", "": "", "1.5": "1.5",
	} {
		if got := aspirations.DefuseFormula(in); got != want {
			t.Errorf("DefuseFormula(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReport_Table(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Lampu\tjalan mati")
	var buf bytes.Buffer
	w := aspirations.NewTableWriter(&buf, r.svc.TZ())
	r.must(r.svc.Report(r.ctx, staff.Admin(), aspirations.ReportFilter{}, w.Write))
	r.must(w.Flush())
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "tiket") || !strings.Contains(lines[1], tk.Number) || !strings.Contains(lines[1], "Baru") {
		t.Errorf("table:\n%s", buf.String())
	}
}

// The .xlsx report holds the date as a date cell and the response time as
// a number of hours, which Excel set to Indonesian reads as it is.
func TestReport_XLSX(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Lampu jalan mati")
	r.clock.Advance(90 * time.Minute)
	_, err := r.svc.Answer(r.ctx, actorModA, tk.ID, "Sudah diperbaiki")
	r.must(err)
	var buf bytes.Buffer
	w, err := aspirations.NewXLSXWriter(&buf, r.svc.TZ())
	r.must(err)
	r.must(r.svc.Report(r.ctx, staff.Admin(), aspirations.ReportFilter{Region: villageA}, w.Write))
	r.must(w.Flush())
	f, err := excelize.OpenReader(&buf)
	r.must(err)
	rows, err := f.GetRows("Aspirasi")
	r.must(err)
	if len(rows) != 2 || rows[0][6] != "waktu respons pertama (jam)" || rows[1][0] != tk.Number || rows[1][2] != "Tlogomas" {
		t.Fatalf("rows = %q", rows)
	}
	if v, _ := f.GetCellValue("Aspirasi", "G2", excelize.Options{RawCellValue: true}); v != "1.5" {
		t.Errorf("hours cell raw %q, want the number 1.5", v)
	}
	if v, _ := f.GetCellValue("Aspirasi", "B2"); v != "22/11/2026 10:00" {
		t.Errorf("date shown as %q", v)
	}
	for _, cell := range []string{"B2", "G2"} {
		if typ, _ := f.GetCellType("Aspirasi", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s is %v, want a numeric cell", cell, typ)
		}
	}
}
