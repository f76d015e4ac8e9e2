package operator

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// listLimit is how many schedules /jadwal and runs /laporan show.
const listLimit = 10

// daftar redeems an invitation code of either role: anyone may try, it
// is how operators and moderators join.
func (f *flow) daftar(ctx context.Context, telegramID int64, args string) message.Message {
	if strings.TrimSpace(args) == "" {
		return chat.Text("operator.daftar.usage")
	}
	inv, m, err := f.staff.Redeem(ctx, args, telegramID)
	moderator := inv.Role == staff.RoleModerator
	switch {
	case err == nil && moderator:
		f.logger.Info("moderator joined by invite", "scope", string(m.Scope))
		return chat.Text("asp.invite_ok", f.placeName(ctx, m.Scope))
	case err == nil:
		f.logger.Info("operator joined by invite", "scope", string(m.Scope))
		return chat.Text("operator.daftar.ok", f.regionName(ctx, m.Scope))
	case errors.Is(err, staff.ErrAlreadyInvited) && moderator:
		return chat.Text("asp.invite_already")
	case errors.Is(err, staff.ErrAlreadyInvited):
		cur, _ := f.staff.Get(ctx, telegramID, staff.RoleOperator)
		return chat.Text("operator.daftar.already", f.regionName(ctx, cur.Scope))
	case errors.Is(err, staff.ErrInviteUsed):
		return chat.Text("operator.daftar.used")
	case errors.Is(err, staff.ErrInviteExpired):
		return chat.Text("operator.daftar.expired")
	case errors.Is(err, staff.ErrInviteInvalid):
		return chat.Text("operator.daftar.invalid")
	}
	f.logger.Error("redeeming invite failed", "err", err)
	return chat.Text("operator.err.failed")
}

// regionName is "Name (code)" for operators, who think in codes.
func (f *flow) regionName(ctx context.Context, c region.Code) string {
	if r, err := f.regions.Get(ctx, c); err == nil {
		return broadcast.EscapeHTML(r.Name) + " (" + string(c) + ")"
	}
	return string(c)
}

// placeName is the region's name alone, as moderators are greeted.
func (f *flow) placeName(ctx context.Context, c region.Code) string {
	if r, err := f.regions.Get(ctx, c); err == nil {
		return broadcast.EscapeHTML(r.Name)
	}
	return broadcast.EscapeHTML(string(c))
}

// undang creates an operator invitation for args (a region code inside
// op's scope; default op's own scope).
func (f *flow) undang(ctx context.Context, op staff.Actor, args string) message.Message {
	scope := op.Scope
	if a := strings.TrimSpace(args); a != "" {
		c, err := region.ParseCode(a)
		if err != nil {
			return chat.Text("operator.undang.bad", op.Scope)
		}
		scope = c
	}
	code, _, err := f.staff.CreateInvite(ctx, op, staff.RoleOperator, scope)
	switch {
	case errors.Is(err, broadcast.ErrOutOfScope):
		return chat.Text("operator.undang.scope", op.Scope, op.Scope)
	case errors.Is(err, broadcast.ErrUnknownRegion):
		return chat.Text("operator.undang.bad", op.Scope)
	case err != nil:
		f.logger.Error("creating invite failed", "err", err)
		return chat.Text("operator.err.failed")
	}
	return chat.Text("operator.undang.ok", f.regionName(ctx, scope), code, code)
}

// jadwal lists the schedules in op's scope with their buttons.
func (f *flow) jadwal(ctx context.Context, op staff.Actor) message.Message {
	list, err := f.schedules.List(ctx, op, 0, listLimit)
	if err != nil {
		f.logger.Error("listing schedules failed", "err", err)
		return chat.Text("operator.err.failed")
	}
	if len(list) == 0 {
		return chat.Text("operator.jadwal.empty")
	}
	items := []string{catalog.T("operator.jadwal.title")}
	var rows [][]message.Button
	for _, sc := range list {
		items = append(items, catalog.T("operator.jadwal.item", sc.ID, catalog.T(catalog.Key("operator.status."+string(sc.Status))),
			sc.Timing().Describe(), firesLine(sc.NextFires(fireCount, f.clock.Now()), sc.Zone),
			f.targetNames(ctx, sc.Targets), broadcast.EscapeHTML(preview(sc.Content.Text, 60))))
		rows = append(rows, scheduleButtons(sc)...)
	}
	m := message.Message{Text: strings.Join(items, "\n\n"), Buttons: rows}
	return m
}

// firesLine is the next fires on one short line: "Sen 7 Des 08.00 · Sen
// 4 Jan 08.00 (WIB)".
func firesLine(fires []time.Time, loc *time.Location) string {
	if len(fires) == 0 {
		return catalog.T("operator.none")
	}
	short := make([]string, len(fires))
	for i, t := range fires {
		short[i] = broadcast.ShortTime(t, loc)
	}
	return catalog.T("operator.jadwal.fires", strings.Join(short, " · "), broadcast.ZoneAbbrev(loc))
}

func scheduleButtons(sc broadcast.Schedule) [][]message.Button {
	id := strconv.FormatInt(sc.ID, 10)
	var row []message.Button
	switch sc.Status {
	case broadcast.ScheduleActive:
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.pause", sc.ID), Data: callbackData("jp", id)})
	case broadcast.SchedulePaused:
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.resume", sc.ID), Data: callbackData("jr", id)})
	}
	if sc.Status == broadcast.ScheduleActive || sc.Status == broadcast.SchedulePaused {
		row = append(row, message.Button{Text: catalog.T("operator.jadwal.cancel", sc.ID), Data: callbackData("jc", id)})
	}
	if row == nil {
		return nil
	}
	return [][]message.Button{row}
}

// onJadwalButton pauses, resumes or (after a second tap) cancels.
func (f *flow) onJadwalButton(ctx context.Context, op staff.Actor, data string) message.Message {
	verb, arg, _ := parseData(data)
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil && verb != "jn" {
		return chat.Text("operator.jadwal.missing")
	}
	var change func(context.Context, staff.Actor, int64) (broadcast.Schedule, error)
	var done catalog.Key
	switch verb {
	case "jp":
		change, done = f.schedules.Pause, "operator.jadwal.paused"
	case "jr":
		change, done = f.schedules.Resume, "operator.jadwal.resumed"
	case "jy":
		change, done = f.schedules.Cancel, "operator.jadwal.cancelled"
	case "jc":
		m := chat.Text("operator.jadwal.confirm", id)
		m.Buttons = [][]message.Button{{{Text: catalog.T("operator.jadwal.confirm_yes", id), Data: callbackData("jy", strconv.FormatInt(id, 10))},
			{Text: catalog.T("operator.jadwal.keep"), Data: callbackData("jn")}}}
		return m
	default:
		return f.jadwal(ctx, op)
	}
	_, err = change(ctx, op, id)
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		return chat.Text("operator.jadwal.missing")
	case errors.Is(err, broadcast.ErrScheduleState):
		return chat.Text("operator.jadwal.state", id)
	case err != nil:
		f.logger.Error("changing schedule failed", "schedule_id", id, "err", err)
		return chat.Text("operator.err.failed")
	}
	f.logger.Info("schedule changed in chat", "schedule_id", id, "change", verb)
	return chat.Text(done, id)
}

// laporan reports the latest runs in op's scope.
func (f *flow) laporan(ctx context.Context, op staff.Actor) message.Message {
	runs, err := f.schedules.Runs(ctx, op, 0, listLimit)
	if err != nil {
		f.logger.Error("reporting runs failed", "err", err)
		return chat.Text("operator.err.failed")
	}
	if len(runs) == 0 {
		return chat.Text("operator.laporan.empty")
	}
	now := f.clock.Now()
	items := []string{catalog.T("operator.laporan.title")}
	uncertain := false
	for _, r := range runs {
		items = append(items, runReport(r, f.zone, now))
		uncertain = uncertain || r.Uncertain > 0
	}
	if uncertain {
		items = append(items, catalog.T("operator.laporan.uncertain_note"))
	}
	return message.Message{Text: strings.Join(items, "\n\n")}
}

// runReport is one run's counts; they add up to its targeted count, so
// deliveries cancelled (run cancelled, resident left) show when there are
// any.
func runReport(r broadcast.RunReport, zone *time.Location, now time.Time) string {
	cancelled := ""
	if r.Cancelled > 0 {
		cancelled = catalog.T("operator.laporan.cancelled", r.Cancelled)
	}
	fire := r.FireAt
	return catalog.T("operator.laporan.item", r.ScheduleID, formatTime(&fire, zone),
		catalog.T(catalog.Key("operator.run."+string(r.Status))), r.Targeted, r.Sent, r.Failed, r.Blocked,
		r.Uncertain, r.Pending, cancelled, duration(r.Duration(now)))
}

// duration is "2 mnt 13 dtk" style.
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d jam %d mnt", h, m)
	case m > 0:
		return fmt.Sprintf("%d mnt %d dtk", m, s)
	}
	return fmt.Sprintf("%d dtk", s)
}

// preview is the first n visible characters of an HTML text.
func preview(html string, n int) string {
	var b strings.Builder
	inTag := false
	for _, r := range html {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	plain := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(b.String())
	plain = strings.Join(strings.Fields(plain), " ")
	if r := []rune(plain); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return plain
}
