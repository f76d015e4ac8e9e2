package bot

import (
	"strings"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
)

func TestAspDraft_Steps(t *testing.T) {
	photo := &aspirations.Attachment{Kind: "photo", FileID: "p1"}
	doc := &aspirations.Attachment{Kind: "document", FileID: "d1", FileName: "foto.jpg"}
	loc := &aspirations.Attachment{Kind: "location", Lat: -7.9, Lon: 112.6}
	type input struct {
		cat      aspirations.Category
		text     string
		att      *aspirations.Attachment
		kind     aspAttachKind
		skip     bool
		anon     *bool
		problem  catalog.Key
		wantStep aspStep
	}
	yes, no := true, false
	cases := []struct {
		name     string
		inputs   []input
		wantAtt  *aspirations.Attachment
		wantAnon bool
	}{
		{"text then skip then named", []input{
			{cat: "infrastruktur", wantStep: aspStepText},
			{text: "Lampu jalan mati", wantStep: aspStepAttach},
			{skip: true, wantStep: aspStepAnon},
			{anon: &no, wantStep: aspStepPreview},
		}, nil, false},
		{"photo with caption skips the attachment step", []input{
			{cat: "infrastruktur", wantStep: aspStepText},
			{text: "Jalan berlubang", att: photo, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &yes, wantStep: aspStepPreview},
		}, photo, true},
		{"photo without caption asks for text", []input{
			{cat: "kesehatan", wantStep: aspStepText},
			{att: photo, kind: aspAttachOK, problem: "asp.err_need_text", wantStep: aspStepText},
		}, nil, false},
		{"length checked while writing", []input{
			{cat: "lainnya", wantStep: aspStepText},
			{text: "abc", problem: "asp.err_too_short", wantStep: aspStepText},
			{text: strings.Repeat("panjang ", 400), problem: "asp.err_too_long", wantStep: aspStepText},
			{text: "Cukup panjang sekarang", wantStep: aspStepAttach},
		}, nil, false},
		{"sticker refused on both steps", []input{
			{cat: "lainnya", wantStep: aspStepText},
			{kind: aspAttachUnsupported, problem: "asp.err_attachment", wantStep: aspStepText},
			{text: "Sampah menumpuk", wantStep: aspStepAttach},
			{kind: aspAttachUnsupported, problem: "asp.err_attachment", wantStep: aspStepAttach},
			{text: "teks lagi", problem: "asp.err_attachment", wantStep: aspStepAttach},
			{att: loc, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &no, wantStep: aspStepPreview},
		}, loc, false},
		{"anonymous document goes back to the attachment step", []input{
			{cat: "keamanan", wantStep: aspStepText},
			{text: "Ada pencurian", wantStep: aspStepAttach},
			{att: doc, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &yes, problem: "asp.err_anon_document", wantStep: aspStepAttach},
			{att: photo, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &yes, wantStep: aspStepPreview},
		}, photo, true},
		{"anonymous drops the location", []input{
			{cat: "keamanan", wantStep: aspStepText},
			{text: "Ada pencurian", wantStep: aspStepAttach},
			{att: loc, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &yes, wantStep: aspStepPreview},
		}, nil, true},
		{"named keeps the document", []input{
			{cat: "pendidikan", wantStep: aspStepText},
			{text: "Sekolah rusak", wantStep: aspStepAttach},
			{att: doc, kind: aspAttachOK, wantStep: aspStepAnon},
			{anon: &no, wantStep: aspStepPreview},
		}, doc, false},
		{"buttons out of order are ignored", []input{
			{skip: true, wantStep: aspStepCategory},
			{anon: &yes, wantStep: aspStepCategory},
			{cat: "lainnya", wantStep: aspStepText},
			{cat: "kesehatan", wantStep: aspStepText},
		}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &aspDraft{ID: "x", Step: aspStepCategory}
			for i, in := range c.inputs {
				var problem catalog.Key
				switch {
				case in.cat != "":
					d.onCategory(in.cat)
				case in.skip:
					d.onSkip()
				case in.anon != nil:
					problem = d.onAnon(*in.anon)
				default:
					problem = d.onMessage(in.text, in.att, in.kind)
				}
				if problem != in.problem || d.Step != in.wantStep {
					t.Fatalf("input %d: problem %q step %q, want %q %q", i, problem, d.Step, in.problem, in.wantStep)
				}
			}
			if (d.Attachment == nil) != (c.wantAtt == nil) || (d.Attachment != nil && *d.Attachment != *c.wantAtt) {
				t.Errorf("attachment %+v, want %+v", d.Attachment, c.wantAtt)
			}
			if d.Anonymous != c.wantAnon {
				t.Errorf("anonymous %v, want %v", d.Anonymous, c.wantAnon)
			}
		})
	}
}

func TestAspDraft_NewTicketHidesAnonymousName(t *testing.T) {
	d := &aspDraft{ID: "abc", Step: aspStepPreview, Category: "lainnya", Text: "halo", Anonymous: true}
	nt := d.newTicket(42, "Budi", "35.73.05.1003")
	if nt.ResidentName != "" || !nt.Anonymous || nt.SourceKey != "draft:abc" || nt.ResidentChat != 42 {
		t.Fatalf("new ticket %+v", nt)
	}
	d.Anonymous = false
	if nt := d.newTicket(42, "Budi", "35.73.05.1003"); nt.ResidentName != "Budi" {
		t.Fatalf("named ticket lost the name: %+v", nt)
	}
}

func TestAspDraft_Prompts(t *testing.T) {
	d := &aspDraft{Step: aspStepCategory}
	m := d.prompt()
	var datas []string
	for _, row := range m.Buttons {
		for _, b := range row {
			datas = append(datas, b.Data)
			if len(b.Data) > 64 {
				t.Errorf("button data too long: %q", b.Data)
			}
		}
	}
	if !strings.Contains(strings.Join(datas, " "), "aspr:cat:cek_hoaks") || datas[len(datas)-1] != "aspr:cancel" {
		t.Errorf("category buttons %v", datas)
	}
	d = &aspDraft{Step: aspStepPreview, Category: "lainnya", Text: "a<b", Anonymous: true}
	if p := d.prompt(); !strings.Contains(p.Text, "a&lt;b") || !strings.Contains(p.Text, "anonim") {
		t.Errorf("preview %q", p.Text)
	}
}
