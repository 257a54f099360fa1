// Drives Debian's Chromium (headless, 1366×768) through the portal of a
// running Gerbang: an operator of BPBD Karanganyar signs in, calls a NIK and
// sees only the nine granted elements; the 1,001st call of the day is
// refused with the quota message; BPBD's administrator sees its page and
// requests a User ID and a quota raise, which another partner's
// administrator cannot open; the Karanganyar registry administrator sees
// the raise is Ditjen Dukcapil's to approve, issues the User ID, cannot
// open another provider's partner, terminates BPBD's agreement, and the
// operator's next page load is refused; KemenPPPA files a child's
// document case by the form and two more by a sheet, and Ditjen Dukcapil
// verifies the first. Screenshots of each page go to
// the folder the configuration names. Started by the integration test
// `browser.rs` with the path of a JSON configuration; exits non-zero on the
// first failed check.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const viewport = { width: 1366, height: 768 };

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(config.screenshots, `${name}.png`), fullPage });
  // Usable at 1366×768: nothing wider than the window.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= viewport.width, `${name}: the page is ${width}px wide at ${viewport.width}px`);
}

async function signIn(page, userId, password) {
  await page.goto(`${config.base}/portal/masuk`);
  await page.fill('#user_id', userId);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
}

try {
  // The operator.
  const operatorContext = await browser.newContext({ viewport });
  const desk = await operatorContext.newPage();
  await desk.goto(`${config.base}/portal/masuk`);
  await shot(desk, '01-masuk');
  await signIn(desk, config.operator.user_id, config.operator.password);
  assert.equal(new URL(desk.url()).pathname, '/portal');
  assert.match(await desk.textContent('#quota-left'), /1000/);
  await shot(desk, '02-beranda-operator');

  await desk.click('a[href="/portal/call-nik"] >> nth=0');
  await desk.fill('#nik', config.nik);
  await Promise.all([desk.waitForLoadState('load'), desk.click('#submit')]);
  const shown = await desk.$$eval('#result tr[data-element]', (rows) => rows.map((r) => r.dataset.element));
  assert.deepEqual([...shown].sort(), [...config.granted].sort(), 'only the granted elements');
  assert.match(await desk.textContent('#source-line'), /Sumber: Ditjen Dukcapil Kemendagri/);
  assert.match(await desk.textContent('#result'), new RegExp(config.full_name));
  assert.match(await desk.textContent('#quota-left'), /999/);
  await shot(desk, '03-hasil-call-nik');

  // Use up the day's quota through the portal (999 more calls: 1,000 in all).
  const csrf = await desk.inputValue('input[name="csrf"] >> nth=0');
  let left = 999;
  while (left > 0) {
    const batch = Math.min(left, 16);
    const answers = await Promise.all(Array.from({ length: batch }, () =>
      desk.request.post(`${config.base}/portal/call-nik`, { form: { csrf, nik: config.nik }, maxRedirects: 0 })));
    for (const answer of answers) assert.equal(answer.status(), 200, 'a call within the quota');
    left -= batch;
  }
  // The 1,001st call, in the browser.
  await desk.fill('#nik', config.nik);
  await Promise.all([desk.waitForLoadState('load'), desk.click('#submit')]);
  assert.match(await desk.textContent('#field-error'), /Kuota Akses Hari Ini Telah Habis/);
  assert.equal(await desk.$('#result'), null, 'no data after the quota');
  await shot(desk, '04-kuota-habis');

  // BPBD Karanganyar's administrator: its page, a User ID and a quota raise.
  const partnerContext = await browser.newContext({ viewport });
  const partner = await partnerContext.newPage();
  await signIn(partner, config.partner_admin.user_id, config.partner_admin.password);
  assert.equal(new URL(partner.url()).pathname, '/portal/mitra');
  assert.match(await partner.textContent('#partner-name'), /Karanganyar/);
  assert.ok(await partner.$(`tr[data-account="${config.operator.user_id}"]`), 'its operator is listed');
  await partner.click('a[href="/portal/mitra/permintaan/user-id"] >> nth=0');
  const applicant = {
    nik: config.nik, full_name: 'Siti Rahayu', nip: '199005152015032001', employment_status: 'PNS',
    position: 'Analis Kebencanaan', office_region: '33.13', office: 'BPBD Kab. Karanganyar, Jl. Lawu 1',
    local_user_id: 'siti.r',
  };
  for (const [field, value] of Object.entries(applicant)) await partner.fill(`#${field}`, value);
  await partner.fill('#nik', '123');
  await Promise.all([partner.waitForLoadState('load'), partner.click('#file-request')]);
  assert.match(await partner.textContent('#error-nik'), /bukan NIK yang valid/, 'the message at the field');
  assert.equal(await partner.inputValue('#full_name'), 'Siti Rahayu', 'the form keeps what was typed');
  await shot(partner, '14-minta-user-id');
  await partner.fill('#nik', config.nik);
  await Promise.all([partner.waitForLoadState('load'), partner.click('#file-request')]);
  const requestId = await partner.textContent('#request-id');
  assert.match(await partner.textContent('#request-status'), /menunggu/);
  assert.ok(!(await partner.content()).includes(config.nik), 'the NIK is masked');
  await partner.goto(`${config.base}/portal/mitra/permintaan/kuota`);
  await partner.selectOption('#user_id', config.service_user_id);
  await partner.fill('#daily_quota', '5000');
  await partner.fill('#justification', 'Pendataan korban banjir bandang di 17 kecamatan');
  await Promise.all([partner.waitForLoadState('load'), partner.click('#file-request')]);
  const quotaId = await partner.textContent('#request-id');
  await partner.goto(`${config.base}/portal/mitra`);
  assert.ok(await partner.$(`tr[data-request="${requestId}"]`) && await partner.$(`tr[data-request="${quotaId}"]`));
  assert.match(await partner.textContent('#total-calls'), /1001/, "the partner's own usage");
  await shot(partner, '11-mitra');

  // The semester report: BPBD's administrator writes and submits it; the
  // figures are the day's 1001 calls.
  await partner.goto(`${config.base}/portal/mitra/laporan`);
  await Promise.all([partner.waitForLoadState('load'), partner.click('tr[data-semester="2026-S2"] a')]);
  assert.match(await partner.textContent('#report-figures'), /1001/);
  assert.ok((await partner.$$('svg rect')).length > 0, 'the report has charts');
  await partner.fill('#kendala', 'Jaringan di kecamatan terdampak banjir sering terputus.');
  await partner.fill('#tindak_lanjut', 'Menambah jalur cadangan dan melatih dua operator baru.');
  await shot(partner, '17-laporan-mitra');
  await Promise.all([partner.waitForLoadState('load'), partner.click('#submit-report')]);
  assert.equal(await partner.textContent('#report-status'), 'Diajukan');

  // Another partner's administrator cannot open BPBD's request or operator.
  const otherContext = await browser.newContext({ viewport });
  const other = await otherContext.newPage();
  await signIn(other, config.other_partner_admin.user_id, config.other_partner_admin.password);
  assert.equal(new URL(other.url()).pathname, '/portal/mitra');
  const foreignRequest = await other.goto(`${config.base}/portal/mitra/permintaan/${requestId}`);
  assert.equal(foreignRequest.status(), 404, "another partner's request is not there");
  await other.goto(`${config.base}/portal/mitra`);
  const otherCsrf = await other.inputValue('input[name="csrf"] >> nth=0');
  const foreignUser = await other.request.post(
    `${config.base}/portal/mitra/operator/${config.operator.user_id}/status`,
    { form: { csrf: otherCsrf, active: 'false' }, maxRedirects: 0 });
  assert.equal(foreignUser.status(), 404, "another partner's operator is not there");

  // KemenPPPA files a child's birth-certificate case (SPEC §9).
  await other.goto(`${config.base}/portal/mitra/fasilitasi`);
  await other.selectOption('#dokumen', 'akta_kelahiran');
  await other.selectOption('#kelompok', 'anak');
  await other.fill('#nama_lengkap', 'Ayu Lestari');
  await other.selectOption('#jenis_kelamin', 'P');
  await other.fill('#tempat_lahir', 'Jakarta');
  await other.fill('#tanggal_lahir', '2019-03-04');
  await other.fill('#nama_ibu', 'Sri Wahyuni');
  await other.fill('#alamat', 'Jl. Kenanga 5, Cempaka Putih');
  await other.fill('#kode_wilayah', '3171');
  await Promise.all([other.waitForLoadState('load'), other.click('#file-case')]);
  assert.ok(await other.$('tr[data-case="FAS-000001"]'), 'the case is listed');
  await shot(other, '17-fasilitasi-mitra');

  // ... and a sheet of two children: the first upload has a birth date in
  // the future and files nothing; the corrected one files both.
  const header = 'dokumen;kelompok;nama_lengkap;jenis_kelamin;tempat_lahir;tanggal_lahir;nama_ibu;alamat;kode_wilayah';
  const sheet = (born) => `${header}\nakta_kelahiran;anak;Rina Wati;P;Bogor;${born};Sumarni;Jl. Melati 2;3201\n` +
    'akta_kelahiran;anak;Dimas Pratama;L;Bogor;12-11-2018;Sumarni;Jl. Melati 2;3201\n';
  const upload = async (csv) => {
    await other.setInputFiles('#sheet-file', { name: 'anak.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([other.waitForLoadState('load'), other.click('#sheet-upload')]);
  };
  await upload(sheet('01-01-2090'));
  assert.ok(await other.$('#sheet-problems tr[data-row="2"]'), 'the wrong row is named');
  assert.equal(await other.$('tr[data-case="FAS-000002"]'), null, 'a refused sheet files nothing');
  await other.locator('#sheet').screenshot({ path: join(config.screenshots, '17b-fasilitasi-berkas-ditolak.png') });
  await upload(sheet('03-02-2017'));
  assert.match(await other.textContent('#sheet-notice'), /^2 /);
  assert.ok(await other.$('tr[data-case="FAS-000003"]'), 'both rows are filed');

  // Ditjen Dukcapil verifies it.
  const nationalContext = await browser.newContext({ viewport });
  const national = await nationalContext.newPage();
  await signIn(national, config.national.user_id, config.national.password);
  await national.goto(`${config.base}/portal/konsol/fasilitasi`);
  await Promise.all([national.waitForLoadState('load'), national.click('#verify-1')]);
  assert.match(await national.textContent('section[data-case="FAS-000001"] .case-status'), /Diverifikasi/);
  await shot(national, '18-konsol-fasilitasi');

  // The registry administrator of Disdukcapil Karanganyar.
  const registryContext = await browser.newContext({ viewport });
  const console_ = await registryContext.newPage();
  await signIn(console_, config.admin.user_id, config.admin.password);
  assert.equal(new URL(console_.url()).pathname, '/portal/konsol');

  // Disdukcapil Karanganyar evaluates BPBD's submitted semester report.
  await console_.goto(`${config.base}/portal/konsol/laporan?semester=2026-S2`);
  assert.match(await console_.textContent('tr[data-partner="bpbd-karanganyar"] .report-status'), /Diajukan/);
  assert.ok(await console_.$('#bupati-pdf'), 'a regional office has the Bupati summary');
  await shot(console_, '18-laporan-konsol');
  await Promise.all([console_.waitForLoadState('load'), console_.click('tr[data-partner="bpbd-karanganyar"] a')]);
  await console_.fill('#temuan', 'Pemanfaatan sesuai PKS; panggilan malam hari perlu dijelaskan.');
  await console_.selectOption('#kesimpulan', 'perlu_perbaikan');
  await console_.fill('#alasan', 'Jelaskan panggilan di luar jam kerja.');
  await Promise.all([console_.waitForLoadState('load'), console_.click('#save-evaluation')]);
  assert.equal(await console_.textContent('#report-status'), 'Perlu perbaikan');
  await shot(console_, '19-laporan-evaluasi');
  await console_.goto(`${config.base}/portal/konsol`);
  await shot(console_, '05-konsol-mitra');

  // Its request queue: the raise above the default is Ditjen Dukcapil's.
  await console_.click('a[href="/portal/konsol/permintaan"]');
  assert.ok(await console_.$(`section[data-request="${requestId}"]`), 'the User-ID request is queued');
  assert.match(await console_.textContent(`#national-${quotaId}`), /perlu persetujuan Ditjen Dukcapil/);
  assert.equal(await console_.$(`#approve-${quotaId}`), null, 'a regional administrator cannot approve it');
  await shot(console_, '12-konsol-permintaan');
  await console_.fill(`#issue-${requestId}`, 'bpbd-karanganyar-siti');
  await Promise.all([console_.waitForLoadState('load'), console_.click(`#approve-${requestId}`)]);
  assert.equal(await console_.textContent('#issued-user-id'), 'bpbd-karanganyar-siti');
  assert.match(await console_.textContent('#issued-password'), /^[A-Za-z0-9]{20}$/);
  await shot(console_, '13-user-id-diterbitkan');
  const foreign = await console_.goto(`${config.base}/portal/konsol/mitra/bkn`);
  assert.equal(foreign.status(), 404, "another provider's partner is not there");
  const ownPage = await desk.goto(`${config.base}/portal/konsol/mitra/bpbd-karanganyar`);
  assert.equal(ownPage.status(), 404, 'an operator has no console');

  // Obligations due and overdue: the historic agreement owes its reports.
  await console_.goto(`${config.base}/portal/konsol/kewajiban`);
  assert.ok(Number(await console_.textContent('#overdue-count')) > 0, 'overdue semester reports are listed');
  await shot(console_, '15-kewajiban', false);

  await console_.goto(`${config.base}/portal/konsol/mitra/bpbd-karanganyar`);
  await shot(console_, '06-konsol-perjanjian');
  const agreement = await console_.getAttribute('section[data-agreement]', 'data-agreement');
  await console_.selectOption(`#reason-${agreement}`, 'breach');
  await console_.fill(`#note-${agreement}`, 'Uji: pelanggaran kewajiban');
  await Promise.all([console_.waitForLoadState('load'), console_.click(`#terminate-${agreement}`)]);
  assert.match(await console_.textContent('.agreement-status'), /diakhiri/);

  // The operator's next page load.
  const refused = await desk.goto(`${config.base}/portal`);
  assert.equal(refused.status(), 403);
  assert.match(await desk.textContent('#refusal'), /Perjanjian Kerja Sama tidak berlaku/);
  await shot(desk, '07-akses-ditolak');

  // Who accessed the resident: the NIK goes in a form post, never in the URL.
  await console_.goto(`${config.base}/portal/konsol/audit`);
  await console_.fill('#nik', config.nik);
  await Promise.all([console_.waitForLoadState('load'), console_.click('#search')]);
  assert.ok(!console_.url().includes(config.nik), 'the NIK is not in the address bar');
  assert.equal(await console_.textContent('#total'), '1001', 'every call of the day, the refused one too');
  const rows = await console_.$$eval('#trail tbody tr', (r) => r.length);
  assert.equal(rows, 200, 'the page shows the newest 200');
  const searchToken = await console_.getAttribute('#nik-search input[name=csrf]', 'value');
  const exported = await console_.request.post(`${config.base}/portal/konsol/audit/nik`, {
    form: { csrf: searchToken, nik: config.nik, format: 'csv' },
  });
  assert.equal(exported.status(), 200);
  const lines = (await exported.text()).trim().split('\n');
  assert.equal(lines.length, 1002, 'the CSV has a header and every record');
  assert.match(lines[0], /^waktu,instansi,user_id/);
  await shot(console_, '08-jejak-audit', false);

  // The trail filtered by partner and outcome.
  await console_.selectOption('#mitra', 'bpbd-karanganyar');
  await console_.fill('#hasil', 'access.quota_exhausted');
  await Promise.all([console_.waitForLoadState('load'), console_.click('#search-trail')]);
  assert.equal(await console_.textContent('#total'), '1', 'the one refused call of the day');
  await shot(console_, '09-saringan-audit', false);

  // The monitoring dashboard: the fortnight's calls, the day the quota ran out.
  await console_.goto(`${config.base}/portal/konsol/pantauan`);
  assert.equal(await console_.textContent('#total-calls'), '1001');
  assert.match(await console_.textContent('#exhaustion'), /bpbd-karanganyar/);
  assert.ok((await console_.$$('svg rect')).length > 0, 'the charts have bars');
  await shot(console_, '10-pantauan');

  // English.
  await console_.goto(`${config.base}/portal/bahasa/en`);
  await console_.goto(`${config.base}/portal/konsol`);
  assert.match(await console_.textContent('h1'), /Partner institutions/);
  await shot(console_, '16-console-english');
  console.log(`browser: every check passed; screenshots in ${config.screenshots}`);
} finally {
  await browser.close();
}
