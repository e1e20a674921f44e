/** Contest spreadsheets: the template, import (xlsx, csv) and export. What the organiser upload endpoint calls. */
export { importContestWorkbook, exportContestWorkbook, contestTemplateWorkbook } from './workbook';
export { importQuestionsCsv, parseCsv } from './csv';
export type { ContestImport, SheetProblem } from './contest-tables';
