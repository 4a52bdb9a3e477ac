// Preview: what the operator looks at before anything is sent — one reader's email
// with its headers and size, as files or on the live preview server. The app layer
// (src/app/preview.ts) chooses the edition and the reader and feeds the server.
export { describeVariant, type PreviewEmail, previewEmail } from './email.ts';
export {
  choosePreviewReader,
  type PreviewEditionChoice,
  type PreviewReader,
  type PreviewReaders,
  SAMPLE_READER,
} from './select.ts';
export { type PreviewServer, type PreviewServerOptions, startPreviewServer } from './server.ts';
export type { PreviewSource } from './session.ts';
export { CLIP_LIMIT_BYTES, describeHtmlSize } from './size.ts';
