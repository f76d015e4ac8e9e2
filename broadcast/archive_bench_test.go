package broadcast_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// benchWords are the words the synthetic announcements are made of: a
// small vocabulary, so that texts share many words and trigrams (harder
// for the index than real notices).
var benchWords = strings.Fields(`pengumuman vaksinasi campak polio gratis balita anak posyandu puskesmas kelurahan kecamatan
kota malang sabtu minggu senin selasa rabu kamis jumat pukul wib bawa buku kia kartu keluarga ktp bantuan sosial tunai
rp300.000 kantor pos pencairan pendaftaran jadwal kerja bakti saluran air banjir evakuasi jalur warga rt rw ketua
pemadaman listrik bergilir pln gangguan jalan ditutup perbaikan jembatan pasar murah sembako beras minyak gula
pelatihan umkm gratis sertifikat halal pajak bumi bangunan jatuh tempo denda pelayanan adminduk akta kelahiran
siaran tv analog digital set top box bansos stunting gizi ibu hamil lansia pemeriksaan kesehatan donor darah`)

// benchText is announcement i: 30 to 70 words, a date and an amount.
func benchText(rng *rand.Rand, i int) string {
	n := 30 + rng.IntN(40)
	w := make([]string, 0, n+4)
	for range n {
		w = append(w, benchWords[rng.IntN(len(benchWords))])
	}
	return fmt.Sprintf("%s tanggal %d Desember 2026 nomor %d.", strings.Join(w, " "), 1+i%28, i)
}

// BenchmarkCheck100k times Archive.Check with 100,000 announcements that
// went out: an exact copy, an edited copy (one date changed) and an
// unrelated text, in turn; it reports p50 and p99 of one check.
//
//	go test -run '^$' -bench Check100k -benchtime 600x ./broadcast/
func BenchmarkCheck100k(b *testing.B) {
	db := testenv.DB(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 13))
	const n = 100_000
	texts := make([]string, n)
	norms, hashes, sketches := make([]string, n), make([][]byte, n), make([]string, n)
	for i := range texts {
		texts[i] = benchText(rng, i)
		c := broadcast.Normalize(texts[i], nil)
		norms[i], hashes[i] = c.Text(), c.Hash()
		sk, _ := json.Marshal(c.Sketch())
		sketches[i] = string(sk)
	}
	start := time.Now()
	const fill = `
INSERT INTO announcements (text, norm_text, norm_hash, norm_sketch, archive_key, first_sent_at)
SELECT t, nt, h, ARRAY(SELECT json_array_elements_text(sk::json)::int), 'k' || ($4 + i), now() - make_interval(mins => ($4 + i)::int)
FROM unnest($1::text[], $2::text[], $3::bytea[], $5::text[]) WITH ORDINALITY AS u(t, nt, h, sk, i)`
	for lo := 0; lo < n; lo += 10_000 {
		hi := lo + 10_000
		if _, err := db.ExecContext(ctx, fill, stringArray(texts[lo:hi]), stringArray(norms[lo:hi]), byteaArray(hashes[lo:hi]), lo, stringArray(sketches[lo:hi])); err != nil {
			b.Fatal(err)
		}
	}
	const scheds = `
INSERT INTO schedules (announcement_id, targets, kind, tz, scope, status)
SELECT id, ARRAY['35.73.05.1003'], 'now', 'Asia/Jakarta', '35.73', 'finished' FROM announcements`
	if _, err := db.ExecContext(ctx, scheds); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ANALYZE announcements; ANALYZE schedules`); err != nil {
		b.Fatal(err)
	}
	b.Logf("100,000 announcements stored and indexed in %s", time.Since(start).Round(time.Millisecond))
	archive := broadcast.NewArchive(db, message.SystemClock{})
	kinds := []string{"exact", "edited", "unrelated"}
	want := []broadcast.CheckResult{broadcast.CheckOfficial, broadcast.CheckEdited, broadcast.CheckUnknown}
	lat := make([][]time.Duration, 3)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k, pick := i%3, texts[rng.IntN(n)]
		s := broadcast.Suspect{Text: pick}
		switch k {
		case 1:
			s.Text = strings.Replace(pick, " Desember 2026", " Januari 2027", 1)
		case 2:
			s.Text = "Selamat pagi warga, mohon info lowongan kerja di pabrik rokok dekat terminal, gaji berapa dan syaratnya apa saja ya"
		}
		t0 := time.Now()
		v, err := archive.Check(ctx, s)
		lat[k] = append(lat[k], time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if v.Result != want[k] {
			b.Fatalf("%s check: %s, want %s", kinds[k], v.Result, want[k])
		}
	}
	b.StopTimer()
	var all []time.Duration
	for k, l := range lat {
		all = append(all, l...)
		p50, p99 := percentiles(l)
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms-"+kinds[k])
		b.Logf("%s: %d checks, p50 %s, p99 %s", kinds[k], len(l), p50, p99)
	}
	p50, p99 := percentiles(all)
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
}

func percentiles(l []time.Duration) (p50, p99 time.Duration) {
	if len(l) == 0 {
		return 0, 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func stringArray(s []string) any { return pq.StringArray(s) }

func byteaArray(b [][]byte) any { return pq.ByteaArray(b) }
