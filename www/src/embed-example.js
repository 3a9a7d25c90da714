// The host side of embed.html: what a portal writes to embed Pelacak.
import "./pelacak-dashboard.js";

const board = document.getElementById("board");

// Files the portal already has (an upload field of its own).
document.getElementById("host-files").addEventListener("change", (e) => {
  board.addFiles(e.target.files);
  e.target.value = "";
});

// Data the portal holds in memory: any Blob with a name.
const DEMO = [
  "ID Peluang;Tenaga Penjual;Tahap;Nilai;Tanggal Dibuat;Tanggal Tutup;Wilayah",
  "P-1;Budi Santoso;Menang;Rp 12.500.000;03/01/2024;15/02/2024;Jawa Barat",
  "P-2;Siti Rahayu;Kalah;Rp 8.000.000;10/01/2024;20/02/2024;Jawa Timur",
  "P-3;Budi Santoso;Negosiasi;Rp 15.000.000;05/02/2024;30/04/2024;Jawa Barat",
  "P-4;Siti Rahayu;Menang;Rp 9.500.000;14/02/2024;07/03/2024;Jawa Timur",
  "P-5;Andi Wijaya;Menang;Rp 4.250.000;01/02/2024;12/03/2024;Bali",
].join("\n");
document.getElementById("host-demo").addEventListener("click", () => {
  board.addFiles([{ name: "penjualan.csv", blob: new Blob([DEMO], { type: "text/csv" }) }]);
});

// A report computed elsewhere (for instance `pelacak report ... > report.json`).
document.getElementById("host-report").addEventListener("change", async (e) => {
  const [file] = e.target.files;
  if (file) board.showReport(JSON.parse(await file.text()));
  e.target.value = "";
});

board.addEventListener("report", (e) => {
  document.title = `Portal Penjualan — ${e.detail.report.dataQuality.tables.length} berkas`;
});
