package sheet_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/internal/sheet"
)

// Numbers and times land as numeric cells with formats, not as text a
// localised Excel would have to parse; headers are bold; widths are set.
func TestWorkbook_TypedCells(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	w, err := sheet.New(wib)
	if err != nil {
		t.Fatal(err)
	}
	cols := []sheet.Column{{"nama", 30, sheet.Text}, {"jumlah", 10, sheet.Int}, {"jam", 8, sheet.Decimal}, {"waktu", 18, sheet.DateTime}}
	if err := w.Sheet("Data", cols); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 08.30 WIB
	if err := w.Row("=1+1", 1234, 2.25, at); err != nil {
		t.Fatal(err)
	}
	if err := w.Row("kosong", 0, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Sheet("Kedua", cols[:1]); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Data" || got[1] != "Kedua" {
		t.Fatalf("sheets = %v", got)
	}
	for _, cell := range []string{"B2", "C2", "D2"} {
		if typ, _ := f.GetCellType("Data", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s type %v, want a number (no t attribute)", cell, typ)
		}
	}
	if typ, _ := f.GetCellType("Data", "A2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("A2 type %v, want a string", typ)
	}
	if v, _ := f.GetCellValue("Data", "B2", excelize.Options{RawCellValue: true}); v != "1234" {
		t.Errorf("B2 raw = %q", v)
	}
	if v, _ := f.GetCellValue("Data", "D2"); v != "30/11/2026 08:30" {
		t.Errorf("D2 shown as %q, want 30/11/2026 08:30 (WIB)", v)
	}
	if v, _ := f.GetCellValue("Data", "A2"); v != "=1+1" {
		t.Errorf("A2 = %q: text must stay text", v)
	}
	if fm, _ := f.GetCellFormula("Data", "A2"); fm != "" {
		t.Errorf("A2 became a formula %q", fm)
	}
	if v, _ := f.GetCellValue("Data", "C3"); v != "" {
		t.Errorf("C3 = %q, want empty", v)
	}
	styleID, _ := f.GetCellStyle("Data", "A1")
	st, _ := f.GetStyle(styleID)
	if st == nil || st.Font == nil || !st.Font.Bold {
		t.Error("header is not bold")
	}
	if width, _ := f.GetColWidth("Data", "A"); width != 30 {
		t.Errorf("column A width %v", width)
	}
}
