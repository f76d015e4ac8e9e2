package staff_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/staff"
)

// A city's list as an office keeps it: ";"-separated (Excel with the
// Indonesian list separator), its own headers, and the rows an import
// must refuse one by one.
const cityList = "No;Nama KIM;Kelurahan/Desa;Kecamatan;Kode Wilayah;Nomor SK;Tanggal SK;Kontak\n" +
	"1;KIM Tlogomas;Tlogomas;Lowokwaru;;188.45/1/2019;04/03/2019;0812-1\n" + // line 2: by name
	"2;KIM Merjosari;;;3573051002;;;\n" + // line 3: by compact code
	"3;KIM Lowokwaru;;Lowokwaru;;;;\n" + // line 4: a KIM kecamatan
	"4;KIM Tegalgondo;Tegalgondo;;;;;\n" + // line 5: Kab. Malang, outside the city
	"5;KIM Entah;Kampung Entah;;;;;\n" + // line 6: no such village
	"6;KIM Tlogomas;35.73.05.1003;;;;;\n" + // line 7: a code in the village column: not a name
	"7;KIM Sukun;;;35.73.04.1005;;31/02/2020;\n" + // line 8: no such date
	"8;KIM Jauh;;;35.07.23.2001;;;\n" + // line 9: a code outside the scope
	"9;KIM Tlogomas;;;35.73.05.1003;;;\n" + // line 10: line 2 again
	"\n" +
	"10;KIM Ngijo;Ngijo;;;;;\n" // line 12: Kab. Malang again

func TestImportKIM_DryRunNamesEveryUnmatchedRow(t *testing.T) {
	e := newEnv(t)
	plan, err := e.dir.ImportKIM(e.ctx, opMalang, []byte(cityList), false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range plan.Rows {
		got = append(got, fmt.Sprintf("%d %s %s %s", r.Line, r.Action, r.Fields.Area, r.ReasonKind))
	}
	want := []string{"2 tambah 35.73.05.1003 ", "3 tambah 35.73.05.1002 ", "4 tambah 35.73.05 ",
		"5 tidak_cocok  out_of_scope", "6 tidak_cocok  unknown", "7 tidak_cocok  unknown",
		"8 tidak_cocok  invalid", "9 tidak_cocok  out_of_scope", "10 tidak_cocok 35.73.05.1003 duplicate",
		"12 tidak_cocok  out_of_scope"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := e.count(`SELECT count(*) FROM kim`); n != 0 {
		t.Fatalf("a dry run wrote %d KIM", n)
	}
	found := false
	for _, c := range plan.Rows[3].Candidates {
		found = found || c.Code == "35.07.23.2001"
	}
	if !found {
		t.Fatalf("Tegalgondo's candidates miss Kab. Malang's: %+v", plan.Rows[3].Candidates)
	}

	// The province's operator sees the ten Sumbersari of Jawa Timur.
	jatim := staff.Actor{Role: staff.RoleOperator, TelegramID: 7003, Scope: "35", Name: "Diskominfo Jatim"}
	plan, err = e.dir.ImportKIM(e.ctx, jatim, []byte("nama,desa\nKIM Sumbersari,Sumbersari\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Rows[0]; r.ReasonKind != "ambiguous" || len(r.Candidates) != 10 {
		t.Fatalf("Sumbersari in the province: %s, %d candidates", r.ReasonKind, len(r.Candidates))
	}
}

func TestImportKIM_ApplyThenAgainChangesNothing(t *testing.T) {
	e := newEnv(t)
	if _, err := e.dir.ImportKIM(e.ctx, opMalang, []byte(cityList), true); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM kim WHERE area LIKE '35.73.%'`); n != 3 {
		t.Fatalf("%d KIM after the import, want 3", n)
	}
	if n := e.count(`SELECT count(*) FROM kim WHERE sk_date = '2019-03-04' AND contact = '0812-1'`); n != 1 {
		t.Fatal("Tlogomas's SK date or contact was not stored")
	}
	// The same list as a workbook, with a new contact for Tlogomas and a
	// date as Excel stores it (a serial day number).
	f := excelize.NewFile()
	rows := [][]any{{"Nama", "Kode", "Kontak", "Tanggal Dibentuk"},
		{"KIM Tlogomas", "35.73.05.1003", "0812-2", 43528}, {"KIM Merjosari", "35.73.05.1002", "", nil}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	plan, err := e.dir.ImportKIM(e.ctx, opMalang, buf.Bytes(), true)
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Rows[0]; r.Action != staff.ImportUpdate || strings.Join(r.Changes, ",") != "contact,formed_on" {
		t.Fatalf("Tlogomas: %s %v", r.Action, r.Changes)
	}
	if plan.Rows[1].Action != staff.ImportSame {
		t.Fatalf("Merjosari: %s", plan.Rows[1].Action)
	}
	if n := e.count(`SELECT count(*) FROM kim WHERE formed_on = '2019-03-04' AND contact = '0812-2' AND sk_number = '188.45/1/2019'`); n != 1 {
		t.Fatal("the update lost or missed a field")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'kim_impor'`); n != 2 {
		t.Fatalf("%d import audit entries, want 2", n)
	}
	_, err = e.dir.ImportKIM(e.ctx, opMalang, []byte("kontak\n0812\n"), false)
	if err == nil || !strings.Contains(err.Error(), "nama") {
		t.Fatalf("a file without a name column: %v", err)
	}
}
