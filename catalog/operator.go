package catalog

// operatorTexts are the texts of the operator chat flows: /daftar,
// /siaran, /jadwal, /laporan, /undang. Arguments are marked in comments
// where their order matters.
var operatorTexts = map[Key]string{
	// /masuk: the web console's one-time sign-in link (%s: the link).
	"operator.masuk.link":     "🔐 Tautan masuk konsol Anda:\n%s\n\nBerlaku 10 menit dan hanya sekali pakai. Jangan teruskan tautan ini kepada siapa pun.",
	"operator.masuk.resident": "Konsol web khusus untuk petugas Diskominfo dan moderator KIM. Semua layanan untuk warga ada di chat ini: ketik /bantuan.",
	"operator.masuk.too_many": "Anda sudah meminta beberapa tautan masuk dalam 10 menit terakhir. Pakai tautan terakhir, atau coba lagi nanti.",
	// /daftar KODE
	"operator.daftar.usage":   "Kirim /daftar diikuti kode undangan Anda, misalnya:\n/daftar KIM-7F3K-Q9XZ",
	"operator.daftar.ok":      "Selamat bergabung! Anda sekarang operator siaran untuk %s.\n\n/siaran — buat pengumuman\n/jadwal — lihat dan atur jadwal\n/laporan — hasil pengiriman\n/undang — undang operator lain",
	"operator.daftar.invalid": "Kode undangan tidak dikenal. Periksa lagi penulisannya, atau minta kode baru kepada yang mengundang Anda.",
	"operator.daftar.used":    "Kode ini sudah dipakai. Setiap kode hanya berlaku sekali; minta kode baru kepada yang mengundang Anda.",
	"operator.daftar.expired": "Kode ini sudah kedaluwarsa (berlaku 7 hari). Minta kode baru kepada yang mengundang Anda.",
	"operator.daftar.already": "Anda sudah terdaftar sebagai operator untuk %s.",

	// /undang [kode wilayah]
	"operator.undang.ok":    "Kode undangan operator untuk %s:\n\n<code>%s</code>\n\nBerlaku 7 hari dan hanya sekali pakai. Minta yang diundang membuka bot ini lalu mengirim:\n/daftar %s",
	"operator.undang.scope": "Wilayah itu di luar wilayah Anda (%s). Tulis kode wilayah di dalamnya, misalnya /undang %s",
	"operator.undang.bad":   "Kode wilayah tidak dikenal. Contoh: /undang %s",

	// /siaran: content
	"operator.siaran.content":      "📣 <b>Siaran baru</b>\n\nKirim pengumumannya persis seperti yang akan diterima warga: teks (boleh tebal, miring, tautan), foto dengan keterangan, atau dokumen (misalnya PDF) dengan keterangan.\n\nKetik /batal kapan saja untuk membatalkan.",
	"operator.siaran.content_kind": "Yang bisa dikirim sebagai pengumuman: teks, foto, atau dokumen. Coba kirim lagi.",
	"operator.siaran.album_first":  "ℹ️ Anda mengirim beberapa berkas sekaligus. Siaran hanya memakai yang <b>pertama</b> beserta keterangannya; sisanya diabaikan.",
	"operator.siaran.cancelled":    "Siaran dibatalkan. Tidak ada yang dikirim.",
	"operator.batal.generic":       "Baik, dibatalkan.",

	// /siaran: link buttons under the announcement (%d = most buttons)
	"operator.siaran.links":      "🔗 Tambahkan tombol tautan di bawah pengumuman? Misalnya ke situs resmi atau formulir pendaftaran.",
	"operator.siaran.links_add":  "Tambah tombol tautan",
	"operator.siaran.links_skip": "Lewati",
	"operator.siaran.links_ask":  "Ketik tombolnya, satu per baris (paling banyak %d): teks tombol, garis tegak, lalu alamatnya.\n\n<code>Teks | https://alamat</code>\n\nContoh:\n<code>Info lengkap | https://malangkota.go.id</code>",
	"operator.siaran.links_ok":   "✅ %d tombol tautan ditambahkan.",

	// /siaran: targets
	"operator.siaran.targets":          "🎯 Ke mana pengumuman ini dikirim?\n\nCentang kecamatan atau kelurahan di bawah (tekan › untuk melihat isinya), atau ketik nama wilayah. Tekan <b>Selesai</b> bila sudah.",
	"operator.siaran.targets_sel":      "Terpilih: %s",
	"operator.siaran.targets_none_sel": "Belum ada wilayah terpilih.",
	"operator.siaran.targets_none":     "Pilih minimal satu wilayah dulu.",
	"operator.siaran.targets_found":    "Wilayah yang cocok dengan \"%s\" — ketuk untuk memilih:",
	"operator.siaran.targets_nomatch":  "Tidak ada wilayah bernama \"%s\" di wilayah Anda. Coba ejaan lain atau pilih dari tombol.",
	"operator.siaran.all":              "Semua %s",
	"operator.siaran.done":             "✅ Selesai (%d)",
	"operator.siaran.back":             "‹ Kembali",
	"operator.siaran.prev":             "« Sebelumnya",
	"operator.siaran.next":             "Berikutnya »",

	// /siaran: timing
	"operator.siaran.timing":       "🕗 Kapan dikirim? (zona waktu: %s)",
	"operator.siaran.when_now":     "Sekarang",
	"operator.siaran.when_once":    "Sekali, pada waktu tertentu",
	"operator.siaran.when_daily":   "Tiap hari 07.00",
	"operator.siaran.when_monday":  "Tiap Senin 08.00",
	"operator.siaran.when_monthly": "Tiap tanggal 1, 08.00",
	"operator.siaran.when_cron":    "Jadwal lain (cron)",
	"operator.siaran.zone":         "Ganti zona (%s)",
	"operator.siaran.ask_at":       "Ketik tanggal dan jam pengiriman (%s), misalnya:\n<code>%s</code>",
	"operator.siaran.ask_cron":     "Ketik jadwal cron (menit jam tanggal bulan hari), misalnya:\n<code>0 8 * * 1</code> = tiap Senin 08.00\n<code>30 6 * * *</code> = tiap hari 06.30\n<code>0 9 1 * *</code> = tiap tanggal 1, 09.00\nHari: 0 = Minggu, 1 = Senin … 6 = Sabtu. Paling sering sekali per jam.\n\nUntuk hari tertentu tiap bulan, tulis misalnya <code>Senin pertama 08.00</code> atau <code>Jumat terakhir 13.30</code>.",

	// /siaran: end of a repeating schedule (first fire, zone, example date)
	"operator.siaran.until":      "📅 Sampai kapan diulang? Pengiriman pertama: %s.\n\nKetik tanggal terakhirnya (%s), misalnya <code>%s</code>, atau pilih tanpa batas akhir.",
	"operator.siaran.until_none": "Tanpa batas akhir",

	// /siaran: urgent, preview, confirm
	"operator.siaran.urgent":      "🚨 Apakah ini peringatan darurat (bencana, keadaan mendesak)? Pesan darurat dikirim lebih dulu dari siaran lain.",
	"operator.siaran.urgent_yes":  "Ya, darurat",
	"operator.siaran.urgent_no":   "Bukan",
	"operator.siaran.preview":     "👆 Begitulah pesan yang akan diterima warga.\n\n<b>Sasaran:</b> %s (%d pelanggan saat ini)\n<b>Waktu:</b> %s%s\n<b>Darurat:</b> %s\n\nKirim?",
	"operator.siaran.confirm":     "✅ Ya, jadwalkan",
	"operator.siaran.abort":       "❌ Batal",
	"operator.siaran.created_now": "✅ Siaran #%d sedang dikirim. Lihat hasilnya dengan /laporan.",
	"operator.siaran.created":     "✅ Siaran #%d dijadwalkan: %s. Berikutnya: %s. Atur dengan /jadwal.",
	"operator.siaran.fires":       "\n<b>Lima kiriman berikutnya:</b>\n%s",
	"operator.siaran.fire":        "• %s",
	"operator.siaran.expired":     "Sesi siaran ini sudah berakhir. Mulai lagi dengan /siaran.",
	"operator.yes":                "ya",
	"operator.no":                 "tidak",

	// input refused: broadcast.Reason → text; %s is an example where given
	"operator.err.text_empty":       "Pengumumannya masih kosong (spasi dan karakter tak terlihat tidak dihitung). Kirim teks, foto, atau dokumen.",
	"operator.err.text_too_long":    "Teksnya terlalu panjang: %d dari paling banyak %d karakter (emoji dihitung 2). Kurangi %d karakter lalu kirim lagi.",
	"operator.err.caption_too_long": "Keterangan foto/dokumen terlalu panjang: %d dari paling banyak %d karakter (emoji dihitung 2). Kurangi %d, atau kirim teksnya tanpa foto.",
	"operator.err.bad_html":         "Format pesan ini tidak bisa dikirim ulang. Kirim lagi sebagai teks biasa.",
	"operator.err.bad_button":       "Tombol tautan tidak bisa dipakai. Tulis satu tombol per baris: <code>Teks | https://alamat</code>",
	"operator.err.link_line":        "Baris ini belum bisa dibaca:\n<code>%s</code>\n\nTulis satu tombol per baris, teks lalu alamatnya:\n<code>Teks | https://alamat</code>",
	"operator.err.link_url":         "Alamat ini tidak bisa dipakai:\n<code>%s</code>\n\nTulis alamat lengkap yang diawali https://, misalnya <code>https://malangkota.go.id</code>",
	"operator.err.link_text":        "Teks tombol ini terlalu panjang:\n<code>%s</code>\n\nPersingkat, lalu kirim lagi semua tombolnya.",
	"operator.err.link_count":       "Paling banyak %d tombol. Kirim lagi, satu tombol per baris.",
	"operator.err.bad_time":         "Waktunya tidak bisa dibaca. Tulis seperti ini: <code>%s</code>",
	"operator.err.past_time":        "Waktu itu sudah lewat. Tulis waktu yang akan datang, misalnya: <code>%s</code>",
	"operator.err.bad_cron":         "Jadwal cron itu tidak bisa dipakai. Contoh: <code>0 8 * * 1</code> = tiap Senin 08.00 (hari: 0 = Minggu, 1 = Senin … 6 = Sabtu), atau <code>Senin pertama 08.00</code>.",
	"operator.err.cron_both_days":   "Jadwal itu memakai tanggal <i>dan</i> hari sekaligus. Cron lalu mengirim bila <b>salah satu</b> cocok: <code>0 8 1-7 * 1</code> berarti tanggal 1–7 <i>dan juga</i> setiap Senin, bukan hanya Senin pertama.\n\nIsi salah satunya dengan <code>*</code>. Untuk hari tertentu tiap bulan tulis misalnya <code>%s</code>.\nHari: 0 = Minggu, 1 = Senin … 6 = Sabtu.",
	"operator.err.bad_nth_weekday":  "Tulis hari, urutan minggu, dan jamnya, misalnya <code>Senin pertama 08.00</code> atau <code>Jumat terakhir 13.30</code> (pertama, kedua, ketiga, keempat, terakhir).",
	"operator.err.cron_too_often":   "Jadwal itu terlalu sering: paling sering sekali per jam, pada satu menit yang tetap. Contoh: <code>0 8 * * 1</code> = tiap Senin 08.00.",
	"operator.err.bad_zone":         "Zona waktu harus WIB, WITA, atau WIT.",
	"operator.err.bad_end":          "Tanggal akhir tidak cocok dengan jadwalnya.",
	"operator.err.until_bad":        "Tanggalnya tidak bisa dibaca. Tulis seperti ini: <code>%s</code>",
	"operator.err.until_early":      "Tanggal akhir harus sesudah pengiriman pertama (%s). Misalnya: <code>%s</code>",
	"operator.err.bad_targets":      "Pilih minimal satu wilayah.",
	"operator.err.unknown_region":   "Wilayah itu tidak dikenal.",
	"operator.err.out_of_scope":     "Wilayah itu di luar wilayah Anda.",
	"operator.err.failed":           "Maaf, ada gangguan. Coba lagi sebentar lagi.",

	// /jadwal
	"operator.jadwal.empty":       "Belum ada jadwal siaran di wilayah Anda. Buat dengan /siaran.",
	"operator.jadwal.title":       "🗓 <b>Jadwal siaran</b> (terbaru di atas)",
	"operator.jadwal.item":        "<b>#%d</b> · %s · %s\nBerikutnya: %s\nSasaran: %s\n<i>%s</i>",
	"operator.jadwal.fires":       "%s (%s)", // short fire times, zone
	"operator.jadwal.pause":       "⏸ Jeda #%d",
	"operator.jadwal.resume":      "▶️ Lanjut #%d",
	"operator.jadwal.cancel":      "✖️ Batalkan #%d",
	"operator.jadwal.confirm":     "Batalkan siaran #%d? Pesan yang belum terkirim tidak akan dikirim.",
	"operator.jadwal.confirm_yes": "Ya, batalkan #%d",
	"operator.jadwal.keep":        "Jangan",
	"operator.jadwal.paused":      "Siaran #%d dijeda.",
	"operator.jadwal.resumed":     "Siaran #%d dilanjutkan.",
	"operator.jadwal.cancelled":   "Siaran #%d dibatalkan.",
	"operator.jadwal.state":       "Siaran #%d tidak bisa diubah begitu dalam statusnya sekarang.",
	"operator.jadwal.missing":     "Siaran itu tidak ditemukan.",
	"operator.status.active":      "aktif",
	"operator.status.paused":      "dijeda",
	"operator.status.cancelled":   "dibatalkan",
	"operator.status.finished":    "selesai",
	"operator.none":               "-",

	// /laporan
	"operator.laporan.empty": "Belum ada pengiriman di wilayah Anda.",
	"operator.laporan.title": "📊 <b>Laporan pengiriman</b> (terbaru di atas)",
	"operator.laporan.item":  "<b>#%d</b> · %s · %s\nSasaran %d · terkirim %d · gagal %d · memblokir %d · tak pasti %d · menunggu %d%s\nLama: %s",
	"operator.run.sending":   "sedang dikirim",
	"operator.run.paused":    "dijeda",
	"operator.run.done":      "selesai",
	"operator.run.cancelled": "dibatalkan",

	// /laporan: the count of cancelled deliveries, only when there are
	// some, so the counts add up to Sasaran; the note explains "tak pasti"
	// when a run has uncertain deliveries
	"operator.laporan.cancelled":      " · batal %d",
	"operator.laporan.uncertain_note": "<i>Tak pasti: Telegram tidak menjawab setelah pesan dikirim, jadi mungkin sudah sampai. Pesan ini tidak dikirim ulang agar warga tidak menerimanya dua kali.</i>",

	// how a schedule's timing is told (broadcast.Timing.Describe), the
	// same in the chat and the CLI: "setiap Senin pukul 08.00 WIB"
	"timing.now":         "sekarang",
	"timing.once":        "sekali, %s",
	"timing.once_done":   "sekali", // a one-off that fired: its time is in its run
	"timing.until":       "%s, sampai %s",
	"timing.at":          "%s pukul %s %s", // days, times, zone
	"timing.hourly":      "%s, setiap jam pada menit ke-%d",
	"timing.every":       "setiap %s",
	"timing.hours":       "%d jam",
	"timing.minutes":     "%d menit",
	"timing.daily":       "setiap hari",
	"timing.weekly":      "setiap %s",
	"timing.in_months":   "%s pada bulan %s",
	"timing.dom_monthly": "tanggal %s setiap bulan",
	"timing.dom_yearly":  "tanggal %s %s setiap tahun",
	"timing.nth_monthly": "%s %s setiap bulan", // weekday, ordinal
	"timing.nth_months":  "%s %s bulan %s",
	"timing.either":      "%s, dan juga %s", // an old spec with both day fields: cron sends on either
	"timing.cron":        "jadwal cron %s",
	"timing.and":         "%s dan %s",
	"timing.date":        "%d %s %d",                // 1 Desember 2026
	"timing.date_clock":  "%s pukul %s %s",          // date, 08.00, WIB
	"timing.date_time":   "%s %d %s %d pukul %s %s", // Senin 1 Desember 2026 pukul 08.00 WIB
	"timing.short":       "%s %d %s %s",             // Sen 7 Des 08.00
	"timing.day.0":       "Minggu",
	"timing.day.1":       "Senin",
	"timing.day.2":       "Selasa",
	"timing.day.3":       "Rabu",
	"timing.day.4":       "Kamis",
	"timing.day.5":       "Jumat",
	"timing.day.6":       "Sabtu",
	"timing.month.1":     "Januari",
	"timing.month.2":     "Februari",
	"timing.month.3":     "Maret",
	"timing.month.4":     "April",
	"timing.month.5":     "Mei",
	"timing.month.6":     "Juni",
	"timing.month.7":     "Juli",
	"timing.month.8":     "Agustus",
	"timing.month.9":     "September",
	"timing.month.10":    "Oktober",
	"timing.month.11":    "November",
	"timing.month.12":    "Desember",
	"timing.nth.1":       "pertama",
	"timing.nth.2":       "kedua",
	"timing.nth.3":       "ketiga",
	"timing.nth.4":       "keempat",
	"timing.nth.last":    "terakhir",
}
