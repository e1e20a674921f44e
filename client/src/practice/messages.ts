// Messages of the practice page ("Luyện tập"), Vietnamese first. Only the /luyen-tap/<contest> chunk imports them.
import { interpolate, prefs } from '../lib/i18n/i18n.svelte';

const practiceVi = {
  title: 'Luyện tập',
  intro:
    'Luyện tập bất cứ lúc nào, không cần đăng ký. Kết quả luyện tập không tính vào kết quả thi hay giải thưởng. Sau mỗi câu, bạn biết ngay đúng hay sai và đọc lời giải thích.',
  loadFailed: 'Chưa luyện tập được với cuộc thi này.',
  chooseArea: 'Chọn lĩnh vực muốn luyện tập',
  allAreas: 'Tất cả lĩnh vực',
  areaCount: '{n} câu',
  perSession: 'Mỗi lượt luyện tập có tối đa {n} câu.',
  starting: 'Đang chuẩn bị câu hỏi…',
  questionOf: 'Câu {n}/{total}',
  chooseOne: 'Chọn một đáp án.',
  chooseMany: 'Chọn tất cả các đáp án đúng, rồi bấm “Trả lời”.',
  enterNumber: 'Nhập một số từ {min} đến {max}',
  answer: 'Trả lời',
  answering: 'Đang kiểm tra…',
  right: 'Chính xác!',
  wrong: 'Chưa đúng.',
  yourAnswer: 'Bạn chọn',
  next: 'Câu tiếp theo',
  seeSummary: 'Xem kết quả luyện tập',
  summaryTitle: 'Kết quả luyện tập',
  score: 'Bạn trả lời đúng {correct}/{total} câu.',
  areaLine: '{area}: đúng {correct}/{answered}',
  weakTitle: 'Nên ôn thêm',
  weakNone: 'Bạn nắm tốt các lĩnh vực vừa luyện tập.',
  practiseArea: 'Luyện tiếp: {area}',
  again: 'Luyện tập lượt mới',
  backToContest: 'Về trang cuộc thi',
  notCounted: 'Không tính vào kết quả thi.',
  practiceLink: 'Luyện tập trước khi thi',
  practiceLinkHint: 'Ôn câu hỏi theo lĩnh vực, xem ngay lời giải thích. Không tính điểm.',
  badgesTitle: 'Huy hiệu của bạn',
  badgesNone: 'Bạn chưa có huy hiệu nào.',
  badgeEarned: 'Đã nhận',
  badgeNotYet: 'Chưa nhận',
  practiceCount: 'Bạn đã hoàn thành {n} lượt luyện tập.',
};

export type PracticeKey = keyof typeof practiceVi;

const practiceEn: Record<PracticeKey, string> = {
  title: 'Practice',
  intro:
    'Practise any time, no registration needed. Practice never counts towards results or prizes. After each question you see at once whether you were right, with the explanation.',
  loadFailed: 'There is no practice for this contest yet.',
  chooseArea: 'Choose an area to practise',
  allAreas: 'All areas',
  areaCount: '{n} questions',
  perSession: 'Each practice session has up to {n} questions.',
  starting: 'Preparing questions…',
  questionOf: 'Question {n} of {total}',
  chooseOne: 'Choose one answer.',
  chooseMany: 'Choose every right answer, then press “Answer”.',
  enterNumber: 'Enter a number from {min} to {max}',
  answer: 'Answer',
  answering: 'Checking…',
  right: 'Right!',
  wrong: 'Not quite.',
  yourAnswer: 'You chose',
  next: 'Next question',
  seeSummary: 'See how you did',
  summaryTitle: 'How you did',
  score: 'You got {correct} of {total} right.',
  areaLine: '{area}: {correct} of {answered} right',
  weakTitle: 'Worth practising more',
  weakNone: 'You know the areas you just practised well.',
  practiseArea: 'Practise more: {area}',
  again: 'New practice session',
  backToContest: 'Back to the contest',
  notCounted: 'Not counted in the contest.',
  practiceLink: 'Practise before the contest',
  practiceLinkHint: 'Questions by area, with explanations at once. No score kept.',
  badgesTitle: 'Your badges',
  badgesNone: 'No badges yet.',
  badgeEarned: 'Earned',
  badgeNotYet: 'Not yet',
  practiceCount: 'You have completed {n} practice sessions.',
};

/** A practice message in the current language. */
export function pt(key: PracticeKey, params?: Record<string, string | number>): string {
  return interpolate((prefs.lang === 'vi' ? practiceVi : practiceEn)[key], params);
}
