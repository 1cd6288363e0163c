import { contentDisposition } from './content-disposition';

describe('contentDisposition', () => {
  it('keeps a plain name as it is', () => expect(contentDisposition('attachment', 'invoice-1042.pdf')).toBe('attachment; filename="invoice-1042.pdf"'));

  it('never lets a name break out of its quotes or its header', () => {
    const header = contentDisposition('attachment', 'a"; filename="evil.exe\r\nSet-Cookie: x=1.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.startsWith('attachment; filename="a__ filename__evil.exe__Set-Cookie_ x_1.pdf"; filename*=UTF-8\'\'')).toBe(true);
    expect(header.split('"')).toHaveLength(3);
  });

  it('carries a name with other letters whole, percent-encoded, beside a plain fallback', () =>
    expect(contentDisposition('inline', 'Prüfbericht (Entwurf).pdf')).toBe(
      "inline; filename=\"Pr_fbericht _Entwurf_.pdf\"; filename*=UTF-8''Pr%C3%BCfbericht%20%28Entwurf%29.pdf",
    ));

  it('names a file that had no usable name', () => expect(contentDisposition('attachment', '')).toBe('attachment; filename="file"'));
});
