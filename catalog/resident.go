package catalog

// residentTexts are the texts of the resident chat flows (package bot,
// resident*.go, and the shared answers of its router). Telegram HTML.
var residentTexts = map[Key]string{
	// Command menu (setMyCommands): short, no HTML.
	"res.menu.start":     "Mulai dan pilih kelurahan/desa",
	"res.menu.wilayah":   "Ganti kelurahan/desa",
	"res.menu.berhenti":  "Berhenti menerima informasi",
	"res.menu.bantuan":   "Cara memakai bot ini",
	"res.menu.hapusdata": "Hapus data saya",

	"res.welcome": "Halo, selamat datang di layanan informasi KIM! 👋\n\n" +
		"Lewat chat ini Anda menerima pengumuman resmi untuk kelurahan/desa Anda " +
		"(misalnya jadwal vaksinasi, peringatan banjir, klarifikasi hoaks) " +
		"dan bisa mengirim aspirasi kepada pengurus KIM.\n\n" +
		"Pertama, pilih kelurahan/desa tempat Anda tinggal.",

	// The picker. %s is the name of the region whose parts are listed.
	"res.pick.province": "Pilih provinsi Anda:",
	"res.pick.regency":  "Pilih kabupaten/kota di <b>%s</b>:",
	"res.pick.district": "Pilih kecamatan di <b>%s</b>:",
	"res.pick.village":  "Pilih kelurahan/desa di <b>Kecamatan %s</b>:",
	"res.pick.typing":   "\n\n<i>Atau langsung ketik nama kelurahan/desa Anda, misalnya: Tlogomas</i>",
	"res.pick.page":     " (halaman %d dari %d)",
	"res.pick.prev":     "« Sebelumnya",
	"res.pick.next":     "Berikutnya »",
	"res.pick.back":     "↩️ Kembali",
	"res.pick.list":     "📋 Pilih dari daftar",
	"res.pick.current":  "Saat ini Anda terdaftar di <b>%s</b>.\n\n",

	// Search by typed name.
	"res.search.results": "Ini kelurahan/desa yang cocok dengan “%s”. Ketuk yang benar:",
	"res.search.none": "Maaf, tidak ada kelurahan/desa bernama “%s”. " +
		"Coba periksa ejaannya, ketik nama lain, atau pilih dari daftar.",
	"res.search.short": "Ketik minimal 3 huruf nama kelurahan/desa Anda, atau pilih dari daftar.",
	"res.search.long": "Pesan ini terlalu panjang untuk nama kelurahan/desa. Ketik namanya saja (paling banyak %d huruf), " +
		"boleh ditambah nama kecamatan atau kota, misalnya “tlogomas malang”, atau pilih dari daftar.",
	"res.search.slow": "Maaf, pencarian sedang lambat. Coba lagi sebentar lagi, atau pilih dari daftar.",

	// Subscription.
	"res.subscribed": "✅ Terima kasih! Anda terdaftar di <b>%s</b>.\n\n" +
		"Mulai sekarang Anda akan menerima pengumuman resmi untuk wilayah ini lewat chat ini.\n\n" +
		"• Ganti kelurahan/desa: /wilayah\n" +
		"• Kirim saran atau keluhan: /aspirasi\n" +
		"• Berhenti menerima informasi: /berhenti\n" +
		"• Bantuan: /bantuan",
	"res.already": "Anda sudah terdaftar di <b>%s</b> dan akan menerima pengumuman untuk wilayah ini. 👍\n\n" +
		"Ganti wilayah dengan /wilayah, atau lihat /bantuan.",
	"res.resumed": "Selamat datang kembali! 🙌 Anda kembali menerima pengumuman untuk <b>%s</b>.\n\n" +
		"Ganti wilayah dengan /wilayah, berhenti lagi dengan /berhenti.",
	"res.stopped": "Baik, Anda tidak akan menerima pengumuman lagi. 👋\n\n" +
		"Kapan saja ingin menerima lagi, ketik /start.",
	"res.not_subscribed":  "Anda belum terdaftar di kelurahan/desa mana pun. Ketik /start untuk mendaftar.",
	"res.unknown_village": "Maaf, kelurahan/desa itu tidak ada dalam daftar kami. Silakan pilih dari daftar.",
	"res.outside_root":    "Maaf, layanan ini hanya untuk wilayah <b>%s</b>. Silakan pilih kelurahan/desa Anda dari daftar.",
	"res.deeplink_invalid": "Maaf, kode wilayah dari tautan atau QR itu tidak dikenal. " +
		"Silakan pilih kelurahan/desa Anda dari daftar.",
	"res.deeplink_area": "Kode itu untuk <b>%s</b>, belum sampai kelurahan/desa. Silakan pilih kelurahan/desa Anda:",

	// Help, written for someone who has never used a bot.
	"res.help": "<b>Cara memakai layanan informasi KIM</b>\n\n" +
		"Ini adalah chat otomatis (bot). Anda cukup mengetuk tombol yang muncul, " +
		"atau mengetik perintah yang diawali garis miring, misalnya /start, lalu kirim.\n\n" +
		"<b>Perintah:</b>\n" +
		"/start — mulai dan pilih kelurahan/desa Anda\n" +
		"/wilayah — ganti kelurahan/desa\n" +
		"/aspirasi — kirim saran, keluhan, atau pertanyaan ke pengurus KIM " +
		"(bisa langsung: <i>/aspirasi jalan di RT 02 berlubang</i>)\n" +
		"/status — lihat aspirasi Anda dan jawabannya\n" +
		"/berhenti — berhenti menerima pengumuman\n" +
		"/hapusdata — hapus semua data Anda dari layanan ini\n" +
		"/bantuan — pesan ini\n\n" +
		"Pengumuman yang Anda terima berasal dari Diskominfo dan KIM kelurahan/desa Anda. " +
		"Kami hanya menyimpan nomor chat dan wilayah pilihan Anda, tidak ada nama atau nomor telepon.",

	// /hapusdata.
	"res.erase.ask": "Yakin ingin menghapus semua data Anda? Langganan pengumuman, pesan Anda ke bot, dan " +
		"nama serta lokasi Anda di aspirasi akan dihapus. Isi aspirasi tetap tersimpan tanpa identitas sebagai catatan layanan.",
	"res.erase.yes":       "Ya, hapus data saya",
	"res.erase.no":        "Batal",
	"res.erase.done":      "Data Anda sudah dihapus. Terima kasih telah memakai layanan ini. Ketik /start kapan saja untuk mendaftar lagi.",
	"res.erase.cancelled": "Baik, data Anda tidak dihapus.",

	// Anything unexpected.
	"res.unknown_command": "Maaf, perintah itu tidak dikenal. Ketik /bantuan untuk melihat perintah yang bisa dipakai.",
	"res.flood":           "⏳ Pesan Anda datang terlalu cepat. Tunggu sebentar (sekitar setengah menit), lalu kirim lagi.",
	"res.unexpected": "Maaf, pesan seperti itu belum bisa saya proses. 🙏\n\n" +
		"Untuk mengirim saran atau keluhan, ketik /aspirasi. Lihat semua perintah dengan /bantuan.",
	"res.stale_button":      "Tombol ini sudah tidak berlaku.",
	"res.button_private":    "Tombol ini hanya berlaku di chat pribadi dengan bot.",
	"res.button_here":       "Tombol ini tidak berlaku di chat ini.",
	"res.button_forbidden":  "Anda tidak berwenang memakai tombol ini.",
	"res.stale_button_help": "Maaf, tombol itu sudah kedaluwarsa. Silakan mulai lagi dari menu di bawah, atau ketik /bantuan.",
	"res.private_only":      "Silakan chat langsung dengan saya (buka profil bot, lalu ketuk Kirim Pesan) untuk mendaftar.",
	"res.retry":             "Maaf, sedang ada gangguan. Coba lagi sebentar lagi ya. 🙏",
	"res.error":             "Maaf, terjadi kesalahan. Coba lagi sebentar lagi ya. 🙏",
}
