/** Contest spreadsheets: the template, import (xlsx, csv) and export. What the organiser upload endpoint calls. */
export { importContestWorkbook, exportContestWorkbook, contestTemplateWorkbook } from './workbook';
export { importContestWorkbookInWorker, WORKBOOK_LIMITS } from './off-thread';
export { importQuestionsCsv } from './csv';
export type { SheetProblem } from './contest-tables';
