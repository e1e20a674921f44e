import {
  COMPETENCE_AREAS,
  QUESTION_TYPES,
  TARGET_GROUPS,
  TIE_BREAKS,
  TOPICS,
  UNIT_KINDS,
} from '../../../../protocol/contest';

/** The tables of a contest workbook. Sheet names are Vietnamese for the subject experts; English names are accepted too. */
export const SHEETS = {
  contest: { name: 'Cuộc thi', aliases: ['contest'] },
  questions: { name: 'Câu hỏi', aliases: ['questions'] },
  options: { name: 'Lựa chọn', aliases: ['options'] },
  units: { name: 'Đơn vị', aliases: ['units'] },
  rounds: { name: 'Vòng thi', aliases: ['rounds'] },
  prizes: { name: 'Giải thưởng', aliases: ['prizes'] },
  notes: { name: 'Hướng dẫn', aliases: ['notes'] },
} as const;
export type TableName = Exclude<keyof typeof SHEETS, 'notes'>;

export interface Column {
  key: string;
  /** What to write in the cell, in Vietnamese: shown in the notes sheet and as the header's cell note. */
  help: string;
  width?: number;
}

const list = (values: readonly string[]) => values.join(', ');

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export const COLUMNS: Record<TableName, Column[]> = {
  contest: [
    { key: 'key', help: 'Tên trường (giữ nguyên, không sửa).', width: 18 },
    { key: 'value', help: 'Giá trị của trường.', width: 80 },
    { key: 'ghi chú', help: 'Giải thích, chương trình bỏ qua cột này.', width: 60 },
  ],
  questions: [
    {
      key: 'id',
      help: 'Mã câu hỏi, duy nhất, không đổi sau khi đã dùng: chữ thường không dấu, số, dấu gạch ngang (vd: otp-khong-chia-se).',
      width: 22,
    },
    {
      key: 'type',
      help: `Loại câu: ${list(QUESTION_TYPES)} (một đáp án; nhiều đáp án; đúng/sai; điền số; khảo sát không chấm điểm).`,
      width: 11,
    },
    { key: 'text', help: 'Nội dung câu hỏi, tiếng Việt có dấu, tối đa 600 ký tự.', width: 60 },
    {
      key: 'correct',
      help: 'Đáp án đúng. single: một chữ cái (A); multiple: các chữ cái cách nhau bằng dấu phẩy (A, C); true-false: đúng hoặc sai; numeric, poll: để trống.',
      width: 10,
    },
    {
      key: 'answer',
      help: 'Chỉ với numeric: giá trị đúng (số). Câu dự đoán: ghi 0, ban tổ chức nhập giá trị thật sau vòng thi.',
      width: 9,
    },
    { key: 'min', help: 'Chỉ với numeric: giá trị nhỏ nhất được nhập.', width: 8 },
    { key: 'max', help: 'Chỉ với numeric: giá trị lớn nhất được nhập.', width: 9 },
    { key: 'tolerance', help: 'Chỉ với numeric: sai lệch vẫn được trọn điểm (mặc định 0).', width: 9 },
    { key: 'unit', help: 'Chỉ với numeric: đơn vị hiển thị (vd: triệu đồng).', width: 10 },
    {
      key: 'answerKnownAfterRound',
      help: 'Chỉ với numeric: "có" nếu là câu dự đoán, đáp án chỉ biết sau vòng thi (phải đặt points = 0).',
      width: 12,
    },
    {
      key: 'timeLimitSec',
      help: 'Thời gian trả lời riêng cho câu này (5–240 giây). Để trống: dùng mặc định của vòng thi.',
      width: 10,
    },
    { key: 'points', help: 'Điểm riêng: 0, 1000 hoặc 2000. Để trống: dùng mặc định của vòng thi.', width: 8 },
    {
      key: 'shuffle',
      help: 'Vòng trực tuyến đảo thứ tự phương án cho mỗi thí sinh; "không" để giữ nguyên thứ tự (vd: "Tất cả các ý trên").',
      width: 9,
    },
    { key: 'explanation', help: 'Giải thích hiện sau khi công bố đáp án (bắt buộc, trừ câu khảo sát).', width: 60 },
    {
      key: 'sourceTitle',
      help: 'Căn cứ: tên văn bản pháp luật, quyết định hoặc trang chính thức (bắt buộc, trừ câu khảo sát).',
      width: 40,
    },
    { key: 'sourceUrl', help: 'Đường dẫn tới căn cứ (không bắt buộc), bắt đầu bằng https://', width: 30 },
    { key: 'area', help: `Lĩnh vực năng lực số: ${list(COMPETENCE_AREAS)}.`, width: 18 },
    { key: 'topics', help: `Chủ đề, cách nhau bằng dấu phẩy: ${list(TOPICS)}.`, width: 20 },
    {
      key: 'groups',
      help: `Nhóm đối tượng, cách nhau bằng dấu phẩy: ${list(TARGET_GROUPS)}. Để trống: cả bốn nhóm.`,
      width: 24,
    },
    { key: 'difficulty', help: 'Độ khó: 1 (dễ), 2 (trung bình), 3 (khó). Để trống: 2.', width: 9 },
    { key: 'imageSrc', help: 'Tên tệp ảnh đặt cạnh contest.yaml (không bắt buộc).', width: 14 },
    { key: 'imageAlt', help: 'Mô tả ảnh cho người khiếm thị: bắt buộc khi có ảnh.', width: 30 },
  ],
  options: [
    { key: 'questionId', help: 'Mã câu hỏi (cột id ở trang Câu hỏi).', width: 22 },
    { key: 'option', help: `Chữ cái của lựa chọn: ${OPTION_LETTERS.join(', ')} (2 đến 6 lựa chọn mỗi câu).`, width: 8 },
    { key: 'text', help: 'Nội dung lựa chọn, tối đa 200 ký tự.', width: 60 },
  ],
  units: [
    { key: 'id', help: 'Mã đơn vị, duy nhất: chữ thường không dấu, số, gạch ngang.', width: 24 },
    { key: 'name', help: 'Tên đơn vị.', width: 44 },
    {
      key: 'kind',
      help: `Loại: ${list(UNIT_KINDS)} (sở ngành; phường/xã; trường học; doanh nghiệp; khác).`,
      width: 12,
    },
    {
      key: 'headcount',
      help: 'Số người có thể tham gia (để tính tỷ lệ tham gia). Không bắt buộc; chỉ ghi số do đơn vị báo cáo.',
      width: 11,
    },
  ],
  rounds: [
    { key: 'id', help: 'Mã vòng thi, duy nhất.', width: 16 },
    { key: 'title', help: 'Tên vòng thi.', width: 36 },
    {
      key: 'mode',
      help: 'live (trực tiếp, người dẫn điều khiển) hoặc self-paced (thi trực tuyến, mỗi người tự làm).',
      width: 11,
    },
    {
      key: 'scoring',
      help: 'speed (điểm theo tốc độ) hoặc accuracy (xếp theo số câu đúng, rồi thời gian, rồi câu dự đoán).',
      width: 10,
    },
    { key: 'streakBonus', help: '"có" để cộng điểm chuỗi trả lời đúng liên tiếp.', width: 10 },
    { key: 'defaultTimeLimitSec', help: 'Thời gian mặc định mỗi câu (5–240 giây). Để trống: 20.', width: 12 },
    { key: 'defaultPoints', help: 'Điểm mặc định mỗi câu: 0, 1000 hoặc 2000. Để trống: 1000.', width: 10 },
    { key: 'questions', help: 'Mã các câu hỏi cố định, theo thứ tự, cách nhau bằng dấu phẩy.', width: 60 },
    {
      key: 'draw',
      help: 'Rút ngẫu nhiên thêm, các lượt cách nhau bằng dấu chấm phẩy: "5 area=safety; 3 topic=scams group=nguoi-dan".',
      width: 50,
    },
    { key: 'prediction', help: 'Mã câu dự đoán (numeric), hỏi cuối vòng để phân định khi bằng điểm.', width: 20 },
    {
      key: 'teams',
      help: 'Vòng trực tiếp thi theo đơn vị, không bắt buộc: "average" (điểm trung bình mỗi người) hoặc "bestN=5" (tổng 5 người cao nhất), thêm "minPlayers=3" (đơn vị ít hơn 3 người không được xếp hạng).',
      width: 22,
    },
    // Online (self-paced) rounds only: required there, left blank for live rounds.
    { key: 'opensAt', help: 'Vòng trực tuyến: mở lúc, kèm múi giờ (vd: 2025-09-22T00:00+07:00).', width: 22 },
    { key: 'closesAt', help: 'Vòng trực tuyến: đóng lúc, kèm múi giờ (vd: 2025-10-09T23:59+07:00).', width: 22 },
    { key: 'timeLimitMin', help: 'Vòng trực tuyến: thời gian mỗi lượt thi (phút).', width: 10 },
    { key: 'attempts', help: 'Vòng trực tuyến: số lượt thi mỗi người. Để trống: 1.', width: 9 },
    {
      key: 'perPeriod',
      help: 'Vòng trực tuyến, không bắt buộc: tối đa số lượt trong số ngày, dạng "1/7" (1 lượt mỗi 7 ngày).',
      width: 10,
    },
    {
      key: 'counts',
      help: 'Vòng trực tuyến: lượt được tính, best (tốt nhất) hoặc last (cuối cùng). Để trống: best.',
      width: 9,
    },
    {
      key: 'revealAnswers',
      help: 'Vòng trực tuyến: hiện đáp án after-attempt (sau khi nộp bài) hoặc after-round (sau khi vòng đóng). Để trống: after-round.',
      width: 13,
    },
    {
      key: 'excludeLiveQuestions',
      help: 'Vòng trực tuyến: "không" để được rút cả câu của vòng trực tiếp. Để trống: có (không rút).',
      width: 12,
    },
    {
      key: 'drawByGroup',
      help: 'Vòng trực tuyến: "có" để chỉ rút câu dành cho nhóm đối tượng của thí sinh.',
      width: 10,
    },
    {
      key: 'qualifiers',
      help: 'Vòng trực tuyến, không bắt buộc: số người vào vòng sau, dạng "overall=100; perGroup=20".',
      width: 18,
    },
    {
      key: 'extraTimeFactor',
      help: 'Vòng trực tuyến: thời gian được nhân lên cho người đăng ký cần thêm thời gian (1–3). Để trống: 1,5.',
      width: 10,
    },
  ],
  prizes: [
    {
      key: 'scope',
      help: 'individual (cá nhân toàn cuộc thi), perGroup (cá nhân theo từng nhóm đối tượng) hoặc collective (tập thể đơn vị).',
      width: 12,
    },
    { key: 'id', help: 'Mã giải, duy nhất trong phạm vi.', width: 16 },
    { key: 'label', help: 'Tên giải (vd: Giải Nhất).', width: 24 },
    { key: 'count', help: 'Số giải.', width: 8 },
    {
      key: 'rounds',
      help: 'Mã các vòng giải này xét, cách nhau bằng dấu phẩy (vd: so-khao cho giải của vòng sơ khảo trực tuyến). Để trống: các vòng ở dòng prizeRounds của trang Cuộc thi. Các giải xét cùng các vòng là một phần giải, được trao khi khóa kết quả các vòng đó; mỗi người nhận tối đa một giải trong mỗi phần giải.',
      width: 16,
    },
    {
      key: 'by',
      help: 'Chỉ giải tập thể: average (mặc định, điểm trung bình của đơn vị) hoặc participants (đơn vị có nhiều người dự thi nhất).',
      width: 12,
    },
  ],
};

/** Rows of the contest sheet: one field per row. */
export const CONTEST_FIELDS: { key: string; help: string }[] = [
  { key: 'id', help: 'Mã cuộc thi = tên thư mục trong contests/ (lệnh import --to sẽ ghi đè).' },
  { key: 'title', help: 'Tên cuộc thi.' },
  { key: 'organiser', help: 'Đơn vị tổ chức.' },
  { key: 'startsAt', help: 'Ngày bắt đầu, dạng 2025-10-01.' },
  { key: 'endsAt', help: 'Ngày kết thúc, dạng 2025-10-10.' },
  { key: 'description', help: 'Giới thiệu ngắn.' },
  { key: 'privacyNotice', help: 'Thông báo xử lý dữ liệu cá nhân, hiện cho thí sinh trước khi đồng ý (bắt buộc).' },
  {
    key: 'maskNames',
    help: '"có" để che bớt họ tên đăng ký của thí sinh trên bảng công khai (biệt danh chơi trực tiếp luôn hiện như người chơi chọn).',
  },
  {
    key: 'personalDataRetentionDays',
    help: 'Số ngày sau khi trận kết thúc thì xoá dữ liệu cá nhân của thí sinh (mặc định 90).',
  },
  { key: 'tieBreak', help: `Thứ tự xếp hạng, cách nhau bằng dấu phẩy: ${list(TIE_BREAKS)}.` },
  {
    key: 'prizeRounds',
    help: 'Mã các vòng được xét giải, cách nhau bằng dấu phẩy (vd: chung-ket). Bắt buộc khi cuộc thi có nhiều vòng và có giải, trừ khi mọi giải ở trang Giải thưởng đều ghi cột rounds.',
  },
  { key: 'prizeMinCorrect', help: 'Số câu đúng tối thiểu để được xét giải cá nhân và giải theo nhóm (mặc định 1).' },
  { key: 'prizeMinScore', help: 'Số điểm tối thiểu để được xét giải cá nhân và giải theo nhóm (mặc định 0).' },
  {
    key: 'prizeMinEntrantsPerGroup',
    help: 'Số người dự thi tối thiểu của một nhóm đối tượng để trao giải của nhóm (mặc định 1).',
  },
  {
    key: 'prizeOnePerPerson',
    help: '"có" (mặc định): mỗi người nhận tối đa một giải, giải cao hơn; "không": được nhận cả giải cá nhân và giải nhóm.',
  },
  {
    key: 'practice',
    help: 'Phần luyện tập (không bắt buộc), viết dạng YAML như trong contest.yaml, vd: { fromRounds: [so-khao], questionsPerSession: 10 }.',
  },
  {
    key: 'badges',
    help: 'Huy hiệu (không bắt buộc), danh sách YAML như trong contest.yaml, vd: [{ id: an-toan, name: "…", description: "…", rule: { kind: practice-sessions, count: 5 } }].',
  },
];

export const NOTES_INTRO = [
  'HƯỚNG DẪN NHẬP CUỘC THI',
  'Mỗi trang là một bảng: Cuộc thi (thông tin chung), Câu hỏi, Lựa chọn (phương án A–F của câu một/nhiều đáp án và khảo sát), Đơn vị, Vòng thi, Giải thưởng.',
  'Dòng 1 của mỗi trang là tên cột: giữ nguyên. Cột có tên bắt đầu bằng # hoặc "ghi chú" được bỏ qua. Ô để trống nghĩa là dùng giá trị mặc định.',
  'Danh sách nhiều giá trị ghi cách nhau bằng dấu phẩy. Có/không ghi "có" hoặc "không". Tiếng Việt ghi đủ dấu.',
  'Khi nhập (npm run contest -- import tệp.xlsx --to contests/<mã>), chương trình kiểm tra toàn bộ và báo mọi lỗi theo trang, dòng, cột; không lưu gì cho tới khi hết lỗi.',
  'Tệp CSV (UTF-8, có hoặc không có BOM) chỉ chứa bảng Câu hỏi; phương án ghi ở các cột optionA … optionF trên cùng dòng.',
];
