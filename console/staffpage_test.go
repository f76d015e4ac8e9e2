package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/staff"
)

// An operator invites a moderator (code, /daftar command and a QR code
// of the bot's link, shown once), sees who redeemed it, revokes another
// invitation and removes a role; each is audited. The operator of
// another regency sees none of it and can change none of it (404).
func TestStaffPage_InviteRevokeRemove(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.dir.Add(ctx, staff.Admin(), 7002, staff.RoleOperator, "35.07", nil); err != nil {
		t.Fatal(err)
	}
	op := r.operator()
	other := r.browser()
	if code, _, _ := do(t, other, "POST", r.link(7002, "Kab. Malang")); code != http.StatusSeeOther {
		t.Fatal("the regency's operator cannot sign in")
	}

	code, page, _ := post(t, op, r.srv.URL+"/petugas/undangan", url.Values{"peran": {"moderator"}, "wilayah": {"35.73.05.1003"}})
	secret := regexp.MustCompile(`KIM-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(page)
	if code != http.StatusOK || secret == "" || !strings.Contains(page, "/daftar "+secret) ||
		!strings.Contains(page, "https://t.me/kim_malang_bot") || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("invite: %d\n%s", code, page)
	}
	if strings.Contains(r.logs.String(), secret) {
		t.Error("an invitation code reached the log")
	}
	if _, _, err := r.dir.Redeem(ctx, secret, 8001); err != nil {
		t.Fatal(err)
	}
	_, page, _ = do(t, op, "GET", r.srv.URL+"/petugas")
	if !strings.Contains(page, "Dipakai oleh 8001") || !strings.Contains(page, "/petugas/8001/moderator/hapus") {
		t.Fatalf("the staff page lacks the redeemed invitation or its moderator\n%s", page)
	}
	code, page, _ = post(t, other, r.srv.URL+"/petugas/undangan", url.Values{"peran": {"moderator"}, "wilayah": {"35.73.05.1003"}})
	if code != http.StatusUnprocessableEntity || strings.Contains(page, "KIM-") {
		t.Fatalf("the regency invited into the city: %d", code)
	}
	if _, page, _ := do(t, other, "GET", r.srv.URL+"/petugas"); strings.Contains(page, "8001") || strings.Contains(page, "Tlogomas") {
		t.Fatal("the regency's operator sees the city's staff")
	}

	_, inv, err := r.dir.CreateInvite(ctx, staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73"}, staff.RoleOperator, "35.73.05")
	if err != nil {
		t.Fatal(err)
	}
	revoke := r.srv.URL + "/petugas/undangan/" + strconv.FormatInt(inv.ID, 10) + "/cabut"
	if code, _, _ := do(t, other, "POST", revoke); code != http.StatusNotFound {
		t.Fatalf("the regency revoking the city's invitation: %d, want 404", code)
	}
	if code, _, _ := do(t, other, "POST", r.srv.URL+"/petugas/8001/moderator/hapus"); code != http.StatusNotFound {
		t.Fatalf("the regency removing the city's moderator: %d, want 404", code)
	}
	if code, _, _ := do(t, op, "POST", revoke); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if code, _, _ := do(t, op, "POST", revoke); code != http.StatusConflict {
		t.Fatalf("revoking twice: %d, want 409", code)
	}
	if code, _, _ := do(t, op, "POST", r.srv.URL+"/petugas/"+strconv.Itoa(operatorID)+"/operator/hapus"); code != http.StatusForbidden {
		t.Fatalf("removing oneself: %d, want 403", code)
	}
	if code, _, _ := do(t, op, "POST", r.srv.URL+"/petugas/8001/moderator/hapus"); code != http.StatusSeeOther {
		t.Fatalf("remove: %d", code)
	}
	if a, _ := r.dir.Who(ctx, 8001, ""); a.IsStaff() {
		t.Fatal("the moderator kept the role")
	}
	// Two invitations: one through the console, one through the directory
	// as chat's /undang makes them; the directory audits both.
	for action, want := range map[string]int{"undang": 2, "cabut_undangan": 1, "hapus_peran": 1} {
		var n int
		_ = r.db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2`, action, operatorID)
		if n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
	var joined int
	_ = r.db.Get(&joined, `SELECT count(*) FROM audit_log WHERE action = 'gabung' AND actor_id = 8001 AND scope = '35.73.05.1003'`)
	if joined != 1 {
		t.Errorf("the moderator's joining audited %d times, want 1", joined)
	}
}
