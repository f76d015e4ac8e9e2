package staff_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/staff"
)

func TestDirectory_CreateAndRedeem(t *testing.T) {
	e := newEnv(t)
	code, inv, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.73.05")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^KIM-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`).MatchString(code) {
		t.Fatalf("code %q is not of the form KIM-XXXX-XXXX", code)
	}
	if n := e.count(`SELECT count(*) FROM invites WHERE position(convert_to($1::text, 'UTF8') in code_hash) > 0`, code); n != 0 {
		t.Fatal("the code itself is stored")
	}
	if !inv.ExpiresAt.Equal(start.Add(7 * 24 * time.Hour)) {
		t.Fatalf("expires %s", inv.ExpiresAt)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	_, m, err := e.dir.Redeem(e.ctx, typed, 8001)
	if err != nil || m.Role != staff.RoleOperator || m.Scope != "35.73.05" || m.AddedBy == nil || *m.AddedBy != opMalang.TelegramID {
		t.Fatalf("Redeem(%q) = %+v, %v", typed, m, err)
	}
	if a, err := e.dir.Who(e.ctx, 8001, ""); err != nil || a.Role != staff.RoleOperator || a.Scope != "35.73.05" {
		t.Fatalf("Who = %+v, %v", a, err)
	}
	_, _, err = e.dir.Redeem(e.ctx, code, 8002)
	isErr(t, err, staff.ErrInviteUsed)
	_, err = e.dir.Get(e.ctx, 8002, staff.RoleOperator)
	isErr(t, err, staff.ErrNotFound)

	// One Redeem for every role: a moderator code makes a moderator.
	modCode, _, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleModerator, "35.73.05.1002")
	if err != nil {
		t.Fatal(err)
	}
	_, m, err = e.dir.Redeem(e.ctx, modCode, 400)
	if err != nil || m.Role != staff.RoleModerator || m.Scope != "35.73.05.1002" {
		t.Fatalf("moderator code redeemed = %+v, %v", m, err)
	}
}

func TestDirectory_RedeemRefused(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.07")
	isErr(t, err, staff.ErrOutOfScope)
	_, _, err = e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35")
	isErr(t, err, staff.ErrOutOfScope)
	_, _, err = e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.73.99")
	isErr(t, err, staff.ErrUnknownRegion)
	_, _, err = e.dir.CreateInvite(e.ctx, opMalang, staff.Role("admin"), "35.73")
	isErr(t, err, staff.ErrInvalid)
	mod := staff.Actor{Role: staff.RoleModerator, TelegramID: 101, Scope: "35.73.05.1003"}
	_, _, err = e.dir.CreateInvite(e.ctx, mod, staff.RoleModerator, "35.73.05.1003")
	isErr(t, err, staff.ErrForbidden) // moderators do not invite
	_, _, err = e.dir.Redeem(e.ctx, "KIM-2222-2222", 9001)
	isErr(t, err, staff.ErrInviteInvalid)

	old, _, _ := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.73")
	e.clock.Advance(staff.InviteTTL + time.Second)
	_, _, err = e.dir.Redeem(e.ctx, old, 9002)
	isErr(t, err, staff.ErrInviteExpired)

	// Someone who holds the role already keeps their scope, and the code
	// stays valid for someone else.
	e.add(9003, staff.RoleOperator, "35", nil)
	fresh, _, _ := e.dir.CreateInvite(e.ctx, staff.Admin(), staff.RoleOperator, "35.73")
	_, _, err = e.dir.Redeem(e.ctx, fresh, 9003)
	isErr(t, err, staff.ErrAlreadyInvited)
	if m, _ := e.dir.Get(e.ctx, 9003, staff.RoleOperator); m.Scope != "35" {
		t.Fatalf("existing operator's scope changed to %s", m.Scope)
	}
	if _, _, err := e.dir.Redeem(e.ctx, fresh, 9004); err != nil {
		t.Fatalf("the code after a refused redeem: %v", err)
	}
}

func TestDirectory_RedeemRace(t *testing.T) {
	e := newEnv(t)
	code, _, err := e.dir.CreateInvite(e.ctx, staff.Admin(), staff.RoleOperator, "35.73")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = e.dir.Redeem(e.ctx, code, int64(10000+i))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			isErr(t, err, staff.ErrInviteUsed)
		}
	}
	if ok != 1 || e.count(`SELECT count(*) FROM staff WHERE telegram_id >= 10000`) != 1 {
		t.Fatalf("%d redeems succeeded, want exactly 1", ok)
	}
}

func TestDirectory_LinkGroup(t *testing.T) {
	e := newEnv(t)
	e.add(102, staff.RoleModerator, "35.73.05.1002", nil)
	modB := staff.Actor{Role: staff.RoleModerator, TelegramID: 102, Scope: "35.73.05.1002"}
	_, err := e.dir.CreateGroupLinkCode(e.ctx, opMalang)
	isErr(t, err, staff.ErrForbidden)
	stranger := staff.Actor{Role: staff.RoleModerator, TelegramID: 999, Scope: "35.73.05.1002"}
	_, err = e.dir.CreateGroupLinkCode(e.ctx, stranger)
	isErr(t, err, staff.ErrForbidden)
	code, err := e.dir.CreateGroupLinkCode(e.ctx, modB)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.dir.LinkGroup(e.ctx, code, 777, 0)
	isErr(t, err, staff.ErrInvalid) // a private chat is no group
	m, err := e.dir.LinkGroup(e.ctx, " "+strings.ToLower(code)+" ", -7002, 0)
	if err != nil || m.TelegramID != 102 || m.GroupChatID == nil || *m.GroupChatID != -7002 {
		t.Fatalf("linked %+v, %v", m, err)
	}
	_, err = e.dir.LinkGroup(e.ctx, code, -7003, 0)
	isErr(t, err, staff.ErrLinkCode)
	expired, err := e.dir.CreateGroupLinkCode(e.ctx, modB)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(staff.LinkCodeTTL + time.Second)
	_, err = e.dir.LinkGroup(e.ctx, expired, -7004, 0)
	isErr(t, err, staff.ErrLinkCode)
}

// TestDirectory_LinkGroupInTopic: /tautkan typed in a forum topic makes
// that topic the home of the group's posts, for every moderator of the
// group; linking again in General takes them back to General, and a new
// group given by the CLI drops the old group's topic.
func TestDirectory_LinkGroupInTopic(t *testing.T) {
	e := newEnv(t)
	group, other := int64(-1002500000001), int64(-1002500000002)
	e.add(101, staff.RoleModerator, "35.73.05.1003", &group)
	e.add(102, staff.RoleModerator, "35.73.05", nil)
	link := func(id int64, chat int64, thread int) staff.Member {
		t.Helper()
		code, err := e.dir.CreateGroupLinkCode(e.ctx, staff.Actor{Role: staff.RoleModerator, TelegramID: id})
		if err != nil {
			t.Fatal(err)
		}
		m, err := e.dir.LinkGroup(e.ctx, code, chat, thread)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	covering := func() string {
		t.Helper()
		chats, err := e.dir.ModeratorChatsCovering(e.ctx, "35.73.05.1003")
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(chats)
	}
	if m := link(102, group, 17); m.GroupThreadID == nil || *m.GroupThreadID != 17 {
		t.Fatalf("linked in topic 17: %+v", m)
	}
	if got := covering(); got != "[{-1002500000001 17}]" {
		t.Fatalf("destinations = %s, want the group once, in topic 17", got)
	}
	if m, _ := e.dir.Get(e.ctx, 101, staff.RoleModerator); m.GroupThreadID == nil || *m.GroupThreadID != 17 {
		t.Fatalf("the group's other moderator stayed in %v, want topic 17", m.GroupThreadID)
	}
	e.clock.Advance(time.Minute)
	if m := link(101, group, 0); m.GroupThreadID != nil {
		t.Fatalf("linked in General: %+v", m)
	}
	if got := covering(); got != "[{-1002500000001 0}]" {
		t.Fatalf("destinations = %s, want General", got)
	}
	link(101, group, 9)
	if m := e.add(101, staff.RoleModerator, "35.73.05.1003", nil); m.GroupThreadID == nil || *m.GroupThreadID != 9 {
		t.Fatalf("a CLI move without a group lost the topic: %+v", m)
	}
	if m := e.add(101, staff.RoleModerator, "35.73.05.1003", &other); m.GroupThreadID != nil {
		t.Fatalf("a new group kept the old group's topic: %+v", m)
	}
	_, err := e.dir.LinkGroup(e.ctx, "GXXXXXX", group, -1)
	isErr(t, err, staff.ErrInvalid)
}

func TestDirectory_MoveGroup(t *testing.T) {
	e := newEnv(t)
	old, other := int64(-4500000001), int64(-4500000002)
	e.add(101, staff.RoleModerator, "35.73.05.1003", &old)
	e.add(102, staff.RoleModerator, "35.73.05", &old)
	e.add(103, staff.RoleModerator, "35.73.05.1002", &other)
	n, err := e.dir.MoveGroup(e.ctx, old, -1002400000001)
	if err != nil || n != 2 {
		t.Fatalf("MoveGroup = %d, %v", n, err)
	}
	if n, _ := e.dir.MoveGroup(e.ctx, old, -1002400000001); n != 0 {
		t.Fatalf("moving again moved %d", n)
	}
	ids, err := e.dir.ModeratorsOfGroup(e.ctx, -1002400000001)
	if err != nil || len(ids) != 2 || ids[0] != 101 || ids[1] != 102 {
		t.Fatalf("moderators of the supergroup = %v, %v", ids, err)
	}
	chats, _ := e.dir.ModeratorChatsCovering(e.ctx, "35.73.05.1003")
	for _, c := range chats {
		if c.ChatID == old {
			t.Fatalf("the old group is still a destination: %v", chats)
		}
	}
	_, err = e.dir.MoveGroup(e.ctx, old, 42)
	isErr(t, err, staff.ErrInvalid)
}
