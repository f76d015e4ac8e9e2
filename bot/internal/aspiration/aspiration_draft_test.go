package aspiration

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
		kind     attachKind
		skip     bool
		anon     *bool
		problem  catalog.Key
		wantStep step
	}
	yes, no := true, false
	cases := []struct {
		name     string
		inputs   []input
		wantAtt  *aspirations.Attachment
		wantAnon bool
	}{
		{"text then skip then named", []input{
			{cat: "infrastruktur", wantStep: stepText},
			{text: "Lampu jalan mati", wantStep: stepAttach},
			{skip: true, wantStep: stepAnon},
			{anon: &no, wantStep: stepPreview},
		}, nil, false},
		{"photo with caption skips the attachment step", []input{
			{cat: "infrastruktur", wantStep: stepText},
			{text: "Jalan berlubang", att: photo, kind: attachOK, wantStep: stepAnon},
			{anon: &yes, wantStep: stepPreview},
		}, photo, true},
		{"photo without caption asks for text", []input{
			{cat: "kesehatan", wantStep: stepText},
			{att: photo, kind: attachOK, problem: "asp.err_need_text", wantStep: stepText},
		}, nil, false},
		{"length checked while writing", []input{
			{cat: "lainnya", wantStep: stepText},
			{text: "abc", problem: "asp.err_too_short", wantStep: stepText},
			{text: strings.Repeat("panjang ", 400), problem: "asp.err_too_long", wantStep: stepText},
			{text: "Cukup panjang sekarang", wantStep: stepAttach},
		}, nil, false},
		{"sticker refused on both steps", []input{
			{cat: "lainnya", wantStep: stepText},
			{kind: attachUnsupported, problem: "asp.err_attachment", wantStep: stepText},
			{text: "Sampah menumpuk", wantStep: stepAttach},
			{kind: attachUnsupported, problem: "asp.err_attachment", wantStep: stepAttach},
			{text: "teks lagi", problem: "asp.err_attachment", wantStep: stepAttach},
			{att: loc, kind: attachOK, wantStep: stepAnon},
			{anon: &no, wantStep: stepPreview},
		}, loc, false},
		{"anonymous document goes back to the attachment step", []input{
			{cat: "keamanan", wantStep: stepText},
			{text: "Ada pencurian", wantStep: stepAttach},
			{att: doc, kind: attachOK, wantStep: stepAnon},
			{anon: &yes, problem: "asp.err_anon_document", wantStep: stepAttach},
			{att: photo, kind: attachOK, wantStep: stepAnon},
			{anon: &yes, wantStep: stepPreview},
		}, photo, true},
		{"anonymous drops the location", []input{
			{cat: "keamanan", wantStep: stepText},
			{text: "Ada pencurian", wantStep: stepAttach},
			{att: loc, kind: attachOK, wantStep: stepAnon},
			{anon: &yes, wantStep: stepPreview},
		}, nil, true},
		{"named keeps the document", []input{
			{cat: "pendidikan", wantStep: stepText},
			{text: "Sekolah rusak", wantStep: stepAttach},
			{att: doc, kind: attachOK, wantStep: stepAnon},
			{anon: &no, wantStep: stepPreview},
		}, doc, false},
		{"buttons out of order are ignored", []input{
			{skip: true, wantStep: stepCategory},
			{anon: &yes, wantStep: stepCategory},
			{cat: "lainnya", wantStep: stepText},
			{cat: "kesehatan", wantStep: stepText},
		}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &draft{ID: "x", Step: stepCategory}
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
	d := &draft{ID: "abc", Step: stepPreview, Category: "lainnya", Text: "halo", Anonymous: true}
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
	d := &draft{Step: stepCategory}
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
	d = &draft{Step: stepPreview, Category: "lainnya", Text: "a<b", Anonymous: true}
	if p := d.prompt(); !strings.Contains(p.Text, "a&lt;b") || !strings.Contains(p.Text, "anonim") {
		t.Errorf("preview %q", p.Text)
	}
}
