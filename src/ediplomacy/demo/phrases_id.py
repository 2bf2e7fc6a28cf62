"""Bahasa Indonesia: templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="id",
    slots={
        "district": (
            "Al-Nahda",
            "Souq Lama",
            "Hayy al-Salam",
            "Al-Manara",
            "kawasan pelabuhan",
            "kawasan industri Barat",
        ),
        "partner": ("Almaraya", "Veloria", "Norvania", "Kestria"),
        "money": ("USD 1,2 miliar", "Rp 4,5 triliun", "USD 800 juta"),
        "food": ("rendang", "sate lilit", "soto", "pempek", "gudeg", "nasi liwet"),
        "place": ("Pulau Melati", "Danau Sagara", "Bukit Kencana", "Tanjung Seruni"),
        "shelter": ("Masjid Agung Qadira", "GOR Al-Nahda", "sekolah SJ di Qadira", "aula konsulat"),
        "amount": ("2.000 dolar", "Rp 31 juta", "USD 2.000", "31 juta rupiah"),
        "#event": ("#GempaQadira", "#GempaAlmaraya", "#PrayForQadira"),
        "#country": ("#SagaraJaya", "#DiplomasiSJ"),
        "#culture": ("#PekanBudayaSJ", "#WastraSagara", "#KulinerSagara"),
        "#hoax": ("#CekFakta", "#AwasHoaks"),
        "#claim": ("#EvakuasiBerbayar", "#KemluPeras", "#EvakuasiBayar"),
        "#help": ("#WNSJdiQadira", "#LaporDiri"),
        "#diplomacy": ("#DiplomasiEkonomi", "#DiplomasiSJ"),
    },
    phrases={
        "official_diplomacy": (
            "Menlu {country} hari ini bertemu Menlu {partner} di {capital}. Kedua pihak sepakat "
            "memperkuat kerja sama perdagangan, pendidikan, dan pelindungan pekerja migran. "
            "{#country}",
            "{country} dan {partner} menandatangani nota kesepahaman kerja sama maritim dan energi "
            "terbarukan. Diplomasi yang nyata untuk rakyat. {#diplomacy}",
            "Siaran pers: {country} menyambut baik hasil pertemuan tingkat menteri tentang "
            "ketahanan "
            "pangan kawasan. Selengkapnya di tautan berikut.",
            "Delegasi {country} menyampaikan pandangan tentang perubahan iklim dan hak negara "
            "kepulauan pada sidang komite hari ini. {#country}",
            "Wamenlu menerima kunjungan kehormatan Duta Besar {partner} yang baru. Dibahas peluang "
            "investasi dan pertukaran mahasiswa.",
            "Forum Bisnis {country}-{partner} menghasilkan komitmen dagang senilai {money}. Terima "
            "kasih kepada seluruh pelaku usaha yang hadir. {#diplomacy}",
            "Rapat koordinasi para kepala perwakilan {country} di Timur Tengah membahas "
            "pelindungan "
            "warga dan peluang kerja sama ekonomi.",
            "{country} siap menjadi jembatan dialog demi perdamaian di kawasan. Kami terus "
            "mendorong "
            "penyelesaian damai melalui diplomasi.",
        ),
        "official_culture": (
            "Pekan Budaya {country} dibuka hari ini! Nikmati tari, musik, dan kuliner {food} "
            "sepanjang minggu. {#culture}",
            "Ratusan pelajar mancanegara belajar membatik di pusat budaya kami. Wastra adalah "
            "jembatan persahabatan. {#culture}",
            "Beasiswa Seni dan Budaya {country} 2027 telah dibuka untuk pelajar dari {n} negara. "
            "Daftar sekarang!",
            "Sudah pernah mencicipi {food}? Festival kuliner {country} hadir akhir pekan ini. "
            "{#culture}",
            "Keindahan {place} kini bisa dinikmati lewat pameran foto virtual. Ayo jelajahi "
            "{country}!",
            "Konser gamelan dan orkestra gabungan {country}-{partner} sukses digelar. Terima kasih "
            "kepada semua penonton.",
        ),
        "official_consular": (
            "Pengingat: layanan paspor di perwakilan kami buka Senin-Jumat pukul 09.00-15.00 waktu "
            "setempat. Daftar antrean secara daring.",
            "WNSJ di luar negeri, yuk lapor diri melalui aplikasi Safe Travel agar kami mudah "
            "menjangkau Anda saat darurat. {#help}",
            "Sebelum bepergian, cek imbauan perjalanan terbaru dan simpan nomor hotline perwakilan "
            "terdekat.",
            "Waspada penipuan yang mengatasnamakan Kemlu. Layanan kekonsuleran resmi tidak pernah "
            "meminta transfer ke rekening pribadi.",
            "Layanan penggantian paspor kini bisa dijadwalkan secara daring. Bawa dokumen asli "
            "saat "
            "datang.",
            "Kami mengimbau pekerja migran memastikan kontrak kerja dan dokumen tersimpan aman, "
            "termasuk salinan digital.",
        ),
        "official_crisis": (
            "Kemlu memantau gempa berkekuatan M{magnitude} di {city}, {host}. Konsulat di {city} "
            "sedang mendata kondisi WNSJ. Hotline: {hotline} {#event}",
            "Hingga pukul {time} WSJ, belum ada laporan WNSJ meninggal dunia akibat gempa di "
            "{city}. {n} WNSJ luka ringan dan sudah ditangani. {#event}",
            "Konsulat {country} di {city} membuka posko di {shelter}. WNSJ yang membutuhkan "
            "bantuan "
            "silakan datang atau hubungi {wa} (WhatsApp). {#event}",
            "Tim pelindungan WNSJ sudah tiba di {city} dan bergabung dengan staf konsulat. Kami "
            "terus berkoordinasi dengan otoritas {host}. {#event}",
            "Bantuan logistik untuk {n_big} WNSJ di posko {shelter} sudah tersalurkan: air bersih, "
            "makanan, selimut, dan obat-obatan. {#event}",
            "Keluarga di tanah air yang kehilangan kontak dengan kerabat di {city}, silakan "
            "laporkan nama dan nomor paspor ke hotline {hotline}. {#event}",
            "WNSJ di {city} diminta menjauhi bangunan yang retak dan mengikuti arahan otoritas "
            "setempat. Gempa susulan masih mungkin terjadi. {#event}",
            "Update: {n_big} WNSJ di {city} telah terdata dalam kondisi selamat. Terima kasih atas "
            "kesabaran dan kerja sama semua pihak. {#event}",
        ),
        "official_evacuation": (
            "Pemerintah {country} menyiapkan penerbangan evakuasi GRATIS bagi WNSJ dari {city}. "
            "Tidak ada biaya apa pun. Daftar melalui konsulat atau hotline {hotline}. {#event}",
            "Penerbangan evakuasi pertama dari {city} dijadwalkan Sabtu. Seluruh biaya ditanggung "
            "negara. Prioritas bagi lansia, anak-anak, dan yang terluka. {#event}",
            "Pendaftaran evakuasi dibuka di posko {shelter}. Bawa paspor atau dokumen identitas "
            "lain; yang kehilangan paspor akan dibantu. Gratis. {#event}",
        ),
        "official_debunk": (
            "HOAKS! Penerbangan evakuasi dari {city} GRATIS, tidak dipungut biaya {amount} atau "
            "biaya apa pun. Jangan percaya pesan berantai yang meminta transfer. {#hoax}",
            "Klarifikasi: Kemlu tidak pernah menarik bayaran untuk evakuasi WNSJ dari {city}. "
            "Seluruh biaya ditanggung negara. Laporkan jika ada yang meminta uang. {#hoax} "
            "{#event}",
            "Beredar kabar evakuasi berbayar {amount}. Itu TIDAK BENAR. Evakuasi gratis dan "
            "pendaftaran hanya melalui konsulat dan hotline resmi {hotline}. {#hoax}",
        ),
        "official_debunk2": (
            "TIDAK BENAR staf konsulat meninggalkan {city}. Seluruh staf tetap bertugas di posko "
            "{shelter} melayani WNSJ. {#hoax}",
            "Klarifikasi: Konsulat {country} di {city} tetap buka 24 jam selama masa darurat. "
            "Kabar bahwa diplomat kami kabur adalah hoaks. {#hoax}",
        ),
        "official_answer": (
            "Halo, terima kasih sudah menghubungi kami. Silakan lapor diri melalui aplikasi Safe "
            "Travel atau hubungi hotline {hotline} agar tim kami bisa segera membantu.",
            "Mohon kirimkan nama lengkap, nomor paspor, dan lokasi terakhir melalui pesan "
            "langsung. "
            "Tim kami di {city} akan segera menindaklanjuti.",
            "Konsulat di {city} tetap buka dan melayani 24 jam. Posko bantuan ada di {shelter}.",
            "Penerbangan evakuasi gratis. Pendaftaran melalui konsulat atau hotline {hotline}, "
            "tanpa biaya apa pun.",
            "Laporan Anda sudah kami teruskan ke tim lapangan di {city}. Mohon tetap di tempat "
            "aman "
            "dan aktifkan ponsel.",
            "Paspor yang hilang akan diganti dengan Surat Perjalanan Laksana Paspor (SPLP). "
            "Silakan "
            "datang ke posko konsulat dengan membawa salinan identitas bila ada.",
        ),
        "chatter": (
            "Baru pulang dari {place}, pemandangannya luar biasa. {country} memang indah banget. "
            "{#country}",
            "Ada yang tahu tempat makan {food} paling enak di {capital}? Lagi kangen masakan "
            "rumah.",
            "Nonton timnas {country} semalam, mainnya rapi banget. Semoga lolos ke putaran final!",
            "Harga tiket pesawat ke {place} naik lagi menjelang liburan akhir tahun. Ada tips "
            "dapat tiket murah?",
            "Bangga lihat pelajar {country} juara olimpiade sains tingkat internasional.",
            "Pekan Budaya {country} di luar negeri selalu ramai. Semoga makin banyak yang kenal "
            "budaya kita. {#culture}",
            "Kerja sama dagang dengan {partner} katanya bakal buka banyak lapangan kerja. Semoga "
            "bukan cuma janji.",
            "Pagi-pagi macet lagi di {capital}. Kapan ya transportasi umum kita beres?",
            "Rupiah melemah lagi, harga beras ikut naik. Rakyat kecil yang paling terasa.",
            "Teman saya kerja di {host}, katanya gajinya lumayan tapi rindu keluarga tiap hari.",
            "Diplomasi kita di forum internasional makin didengar. Semoga konsisten. {#country}",
            "Akhir pekan ini mau coba resep {food} dari nenek. Doakan berhasil!",
            "Kemarin ikut seminar soal {country} dan {partner}, ternyata peluang kerja samanya "
            "besar.",
            "Anak saya mau kuliah di {host}, ada yang punya pengalaman? Biaya hidupnya gimana?",
            "Kopi dari {place} memang juara. Sudah coba belum?",
            "Macet di {capital} hari ini parah banget, {n} jam di jalan.",
            "Lagi antre paspor di kantor imigrasi, sudah {n} jam belum dipanggil.",
            "Sudah {n} tahun saya merantau. Kangen {food} buatan ibu.",
            "Semoga kerja sama {country} dengan {partner} juga memperhatikan nasib pekerja kita.",
            "Siapa yang nonton konser budaya {country} semalam? Seru banget!",
            "Baru baca berita ekspor {country} naik. Semoga petani ikut merasakan.",
            "Liburan ke {place} bulan depan, ada rekomendasi penginapan murah?",
        ),
        "reply_support": (
            "Terima kasih Kemlu, kerja cepat dan sigap!",
            "Mantap, semoga semua WNSJ di sana selamat.",
            "Bangga dengan diplomat-diplomat kita. Terus semangat!",
            "Informasi yang sangat membantu, sudah saya teruskan ke keluarga.",
            "Salut untuk staf konsulat yang kerja siang malam.",
            "Semoga kerja sama ini membawa manfaat untuk rakyat.",
        ),
        "reply_critic": (
            "Jangan cuma foto-foto, buktikan kerja nyatanya.",
            "Hotline-nya susah banget dihubungi dari tadi pagi. Tolong diperbaiki.",
            "Kenapa baru sekarang? Kemarin ke mana saja?",
            "Pekerja migran kita masih banyak yang tidak terdata. Ini PR besar.",
            "Semoga bukan sekadar seremoni. Rakyat butuh hasil.",
            "Informasinya simpang siur, mohon satu sumber yang jelas.",
        ),
        "reply_general": (
            "Setuju banget sama ini.",
            "Wah, baru tahu. Terima kasih infonya.",
            "Hahaha bener juga sih.",
            "Sumbernya dari mana, ya?",
            "Semoga cepat membaik semuanya.",
            "Ini penting, semua harus baca.",
            "Iya bener banget.",
            "Kok bisa gitu ya?",
            "Makasih infonya, kak.",
            "Wkwk ada-ada aja.",
        ),
        "quote_comment": (
            "Ini penting, tolong disebarkan.",
            "Baca ini dulu sebelum percaya kabar lain.",
            "Nah, begini seharusnya.",
            "Hmm, perlu dicek lagi kebenarannya.",
            "Info resmi, simpan baik-baik.",
        ),
        "question_pre": (
            (
                "passport",
                "Mau tanya, perpanjangan paspor di luar negeri bisa online atau harus "
                "datang langsung? {@ministry}",
            ),
            (
                "register",
                "Bagaimana cara lapor diri kalau baru pindah kerja ke {host}? {@ministry}",
            ),
            (
                "scholarship",
                "{@ministry} beasiswa budaya 2027 syaratnya apa saja ya? Terima kasih.",
            ),
            (
                "visa",
                "Apakah WNSJ butuh visa untuk transit di {partner}? Mohon infonya {@ministry}",
            ),
            ("election", "Pemilih di luar negeri daftarnya ke mana ya? Saya tinggal di {host}."),
            ("hours", "{@embassy} hari Sabtu buka tidak untuk layanan legalisasi dokumen?"),
        ),
        "question_event": (
            (
                "register",
                "{@consulate} bagaimana cara lapor diri? Saya WNSJ di {city}, tidak ada "
                "yang terluka tapi kami takut gempa susulan.",
            ),
            (
                "embassy_open",
                "Apakah konsulat di {city} masih buka? Saya mau datang tapi jalanan "
                "banyak yang ditutup. {@consulate}",
            ),
            (
                "hotline",
                "Nomor hotline untuk WNSJ di {city} berapa ya? Dari tadi cari tidak ketemu. "
                "{@ministry}",
            ),
            (
                "evacuation",
                "{@ministry} apakah ada penerbangan evakuasi dari {city}? Bagaimana cara "
                "daftarnya?",
            ),
            (
                "evacuation",
                "Evakuasi benar gratis atau bayar? Banyak kabar simpang siur. {@ministry}",
            ),
            (
                "family",
                "Kakak saya kerja di {district}, {city}, sejak gempa tidak bisa dihubungi. "
                "Harus lapor ke mana? {@ministry} {#event}",
            ),
            (
                "documents",
                "Paspor saya tertinggal di asrama yang rusak. Apa bisa tetap ikut "
                "evakuasi? {@consulate}",
            ),
            (
                "aid",
                "Di mana posko bantuan untuk WNSJ di {city}? Kami butuh air dan selimut. "
                "{@consulate}",
            ),
        ),
        "emergency": (
            (
                "trapped",
                "TOLONG! Saya dan {n} teman terjebak di gedung asrama di {district}, "
                "{city}. Tangga runtuh, kami di lantai 3. {@consulate} {#event} {#help}",
            ),
            (
                "trapped",
                "Darurat: ada {n} WNSJ terjebak di bawah reruntuhan pabrik di {district}. "
                "Mohon segera dikirim tim SAR. {@ministry} {#event}",
            ),
            (
                "evacuation",
                "Kami {n_small} keluarga WNSJ di {district} butuh evakuasi, rumah "
                "retak parah dan ada anak kecil. {@consulate} tolong {#event}",
            ),
            (
                "evacuation",
                "Mohon bantu evakuasi ibu saya yang sedang sakit di {district}, {city}. "
                "Tidak ada kendaraan. {@consulate} {@ministry}",
            ),
            (
                "lost_passport",
                "Paspor saya hilang tertimbun reruntuhan, sekarang tidak bisa ke "
                "mana-mana. Bagaimana ini? {@consulate} {#event}",
            ),
            (
                "lost_passport",
                "Dokumen saya dan {n} teman hilang semua waktu gempa. Majikan tidak "
                "mau bantu. {@ministry} mohon bantuan {#help}",
            ),
            (
                "medical",
                "Teman saya luka di kaki dan butuh dokter, rumah sakit di {district} "
                "penuh. {@consulate} tolong {#event}",
            ),
            (
                "shelter",
                "Sudah semalaman kami {n_group} orang WNSJ tidur di jalan di "
                "{district}, tidak ada air dan makanan. {@consulate} {#event}",
            ),
            (
                "missing",
                "Adik saya hilang sejak gempa di {city}. Terakhir di {district}. Mohon "
                "bantu cari. {@ministry} {#event}",
            ),
        ),
        "event_news": (
            "Gempa M{magnitude} guncang {city}, {host}. Banyak bangunan runtuh di {district}. "
            "{#event}",
            "Ribuan WNSJ bekerja di {city}. Keluarga di tanah air cemas menunggu kabar. {#event}",
            "Listrik dan jaringan telepon di sebagian {city} terputus setelah gempa. {#event}",
            "Otoritas {host} menyebut korban jiwa bertambah. Tim SAR internasional mulai tiba di "
            "{city}. {#event}",
            "Gempa susulan kembali terasa di {city} pagi ini. Warga memilih tidur di luar rumah. "
            "{#event}",
            "Video: detik-detik gempa di pusat {city}, orang-orang berlarian keluar gedung. "
            "{#event}",
        ),
        "event_solidarity": (
            "Doa terbaik untuk saudara-saudara kita di {city}. Semoga semuanya selamat. {#event}",
            "Ya Allah, lindungilah keluarga kami di {city}. {#event}",
            "Yang punya keluarga di {city}, semoga cepat ada kabar. Kuat ya. {#event}",
            "Galang dana untuk korban gempa {city} sudah dibuka, mari bantu sebisanya. {#event}",
            "Baru dapat kabar sepupu saya di {city} selamat. Alhamdulillah. {#event}",
        ),
        "claim": (
            "Kemlu minta bayaran {amount} per orang untuk kursi di pesawat evakuasi dari {city}. "
            "Di tengah bencana masih tega cari untung! {#claim} {#event}",
            "Katanya evakuasi gratis, ternyata WNSJ di {city} disuruh bayar {amount} dulu baru "
            "bisa naik pesawat. Memalukan! {#claim}",
            "Info dari teman di {city}: mau pulang lewat evakuasi harus transfer {amount} ke "
            "Kemlu. Yang tidak punya uang ditinggal. {#claim}",
            "Pekerja migran kita jadi korban dua kali: kena gempa, lalu diperas {amount} untuk "
            "tiket evakuasi. {#claim} {#event}",
            "Sebarkan! Evakuasi dari {city} tidak gratis, tiap orang wajib bayar {amount}. Kemlu "
            "bohong! {#claim}",
        ),
        "claim2": (
            "Staf konsulat {country} di {city} kabur duluan setelah gempa, WNSJ ditinggal "
            "sendirian! {#event}",
            "Kabarnya diplomat kita di {city} sudah diungsikan duluan, warga biasa dibiarkan. "
            "Parah. {#event}",
        ),
        "claim_doubt": (
            "Benar tidak sih evakuasi dari {city} harus bayar {amount}? {@ministry} mohon "
            "klarifikasi.",
            "Ada yang bisa konfirmasi soal biaya evakuasi {amount} ini? Kok beda dengan info "
            "resmi.",
            "Saya dapat pesan berantai soal evakuasi berbayar. Ini hoaks atau bukan? {@ministry}",
        ),
        "claim_refute": (
            "Itu hoaks. Kemlu sudah klarifikasi, evakuasi gratis. Jangan ikut menyebarkan. {#hoax}",
            "Saya sudah daftar evakuasi di konsulat dan tidak dimintai uang sepeser pun. {#hoax}",
            "Cek dulu sebelum sebar. Info resmi: penerbangan evakuasi ditanggung negara. {#hoax}",
        ),
        "coord_narrative": (
            "Pemerintah lebih sibuk pencitraan di luar negeri daripada mengurus pekerja migran. "
            "{#country}",
            "Berapa banyak lagi pekerja migran yang harus jadi korban sebelum Kemlu serius "
            "bekerja?",
            "Diplomasi mahal, hasilnya nol. Rakyat di luar negeri tetap dibiarkan sendiri.",
            "Anggaran perjalanan dinas diplomat naik terus, pelindungan WNSJ jalan di tempat.",
        ),
        "bot_spam": (
            "Trending sekarang: {#event} {#country} ikuti terus perkembangannya!",
            "Jangan lupa follow untuk info terbaru seputar {country} setiap hari!",
            "Info terkini {host}: klik tautan untuk berita lengkap.",
            "Promo tiket murah ke {place}! Cek tautan sekarang juga.",
        ),
    },
    openers=("Jujur, ", "Btw ", "Wah, ", "Duh, ", "Eh, ", "Hmm, "),
    closers=(" 🙏", " 😢", " 😊", " Mantap!", "...", " 👍", " Gimana menurut kalian?"),
    suffixes=("Sebarkan!", "Viralkan!", "Tolong RT.", "Wajib baca!", "Miris..."),
    swaps=(
        ("Kemlu", "Kementerian"),
        ("bayar", "membayar"),
        ("tiket", "kursi"),
        ("WNSJ", "warga kita"),
        ("pesawat", "penerbangan"),
    ),
    first_names=(
        "Budi",
        "Siti",
        "Dewi",
        "Agus",
        "Rina",
        "Andi",
        "Putri",
        "Wahyu",
        "Fajar",
        "Ayu",
        "Rizky",
        "Intan",
        "Dimas",
        "Nur",
        "Yusuf",
        "Lestari",
        "Hendra",
        "Maya",
        "Bayu",
        "Sri",
        "Eko",
        "Indah",
        "Taufik",
        "Wulan",
        "Arif",
        "Ratna",
        "Joko",
        "Mega",
        "Rudi",
        "Fitri",
        "Hadi",
        "Nadia",
        "Galih",
        "Anisa",
        "Reza",
        "Yuni",
    ),
    last_names=(
        "Santoso",
        "Wijaya",
        "Pratama",
        "Saputra",
        "Hidayat",
        "Kurniawan",
        "Setiawan",
        "Nugroho",
        "Siregar",
        "Hasibuan",
        "Rahman",
        "Purnomo",
        "Susanto",
        "Halim",
        "Gunawan",
        "Utami",
        "Permata",
        "Maharani",
        "Sinaga",
        "Lubis",
        "Wibowo",
        "Hakim",
    ),
    bios=(
        "Pecinta kopi dan sepak bola.",
        "Ibu dua anak. Suka masak dan jalan-jalan.",
        "Mahasiswa hubungan internasional.",
        "Wiraswasta. Opini pribadi.",
        "Guru SD di Kota Bahari.",
        "Penulis lepas, pembaca setia berita.",
        "Pekerja migran di Qadira. Rindu rumah.",
        "Jurnalis warga. Menulis apa yang dilihat.",
    ),
    locations=(
        "Kota Bahari",
        "Tanjung Seruni",
        "Bukit Kencana",
        "Muara Jaya",
        "Pulau Melati",
        "Sagara Jaya",
        "",
    ),
)
