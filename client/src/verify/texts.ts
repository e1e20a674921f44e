// Messages of the certificate screens (the verification page, the download button), Vietnamese first. Kept apart from
// vi.ts/en.ts so a phone's first load does not carry them: only the lazily loaded certificate chunks import this.
import { interpolate, prefs } from '../lib/i18n/i18n.svelte';

const vi = {
  pageTitle: 'Xác minh giấy chứng nhận',
  checking: 'Đang kiểm tra…',
  valid: 'Giấy chứng nhận hợp lệ',
  validHint: 'Thông tin dưới đây khớp với kết quả đã được Ban tổ chức chốt. Hãy so với tờ giấy bạn đang xem.',
  invalid: 'Giấy chứng nhận không khớp với kết quả đã chốt',
  invalidHint:
    'Mã này có trong hệ thống nhưng kết quả đã chốt không còn xác nhận nội dung này. Hãy liên hệ Ban tổ chức.',
  notFound: 'Không tìm thấy giấy chứng nhận',
  notFoundHint: 'Không có giấy chứng nhận nào mang mã {code}. Hãy kiểm tra lại từng ký tự, hoặc quét lại mã QR.',
  tooMany: 'Bạn đã thử quá nhiều mã. Vui lòng đợi một phút rồi thử lại.',
  failed: 'Không kiểm tra được lúc này. Vui lòng thử lại.',
  code: 'Mã xác minh',
  fullName: 'Họ và tên',
  kindAward: 'Giấy chứng nhận đạt giải',
  kindParticipation: 'Giấy chứng nhận tham gia',
  kind: 'Loại',
  prize: 'Giải',
  contest: 'Cuộc thi',
  round: 'Vòng thi',
  result: 'Kết quả',
  organiser: 'Đơn vị tổ chức',
  date: 'Ngày chốt kết quả',
  fingerprint: 'Mã băm SHA-256 của kết quả đã chốt',
  typeCode: 'Nhập mã trên giấy chứng nhận',
  check: 'Kiểm tra',
  download: 'Tải giấy chứng nhận (PDF)',
  downloading: 'Đang tạo giấy chứng nhận…',
  downloaded: 'Đã tải giấy chứng nhận. Bạn có thể mở tệp PDF để xem hoặc in.',
  roundCertificates: 'Giấy chứng nhận của vòng thi',
  roundCertificatesHint:
    'Sau khi chốt kết quả vòng thi: mỗi thí sinh có họ tên đã đăng ký hoặc đã nhận giải tại bàn trao giải có một giấy chứng nhận.',
  roundZip: '{round}: tải ZIP (mỗi người một tệp PDF)',
  roundPdf: '{round}: tải một tệp PDF để in',
};
type Key = keyof typeof vi;

const en: Record<Key, string> = {
  pageTitle: 'Check a certificate',
  checking: 'Checking…',
  valid: 'This certificate is valid',
  validHint: 'These details match the results the organisers locked. Compare them with the paper in front of you.',
  invalid: 'This certificate does not match the locked results',
  invalidHint: 'The code exists, but the locked results no longer confirm these details. Contact the organisers.',
  notFound: 'No certificate found',
  notFoundHint: 'No certificate has the code {code}. Check each character, or scan the QR code again.',
  tooMany: 'Too many codes tried. Wait a minute and try again.',
  failed: 'Could not check right now. Try again.',
  code: 'Code',
  fullName: 'Full name',
  kindAward: 'Award certificate',
  kindParticipation: 'Certificate of participation',
  kind: 'Type',
  prize: 'Prize',
  contest: 'Contest',
  round: 'Round',
  result: 'Result',
  organiser: 'Organiser',
  date: 'Results locked on',
  fingerprint: 'SHA-256 of the locked results',
  typeCode: 'Type the code printed on the certificate',
  check: 'Check',
  download: 'Download certificate (PDF)',
  downloading: 'Making your certificate…',
  downloaded: 'Certificate downloaded. Open the PDF to view or print it.',
  roundCertificates: 'Certificates of a round',
  roundCertificatesHint:
    'Once a round’s results are locked: one certificate for each contestant with a registered name or a prize collected at the desk.',
  roundZip: '{round}: ZIP (one PDF each)',
  roundPdf: '{round}: one PDF to print',
};

export function vt(key: Key, params?: Record<string, string | number>): string {
  return interpolate((prefs.lang === 'en' ? en : vi)[key], params);
}
