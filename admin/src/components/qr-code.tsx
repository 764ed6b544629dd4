import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';

/** A QR code drawn as SVG in the browser, for links a tablet's camera opens (not for volunteer cards: those use the verified qr.png). */
export function QrCode({ text, label, size = 220 }: { text: string; label: string; size?: number }) {
  const [svg, setSvg] = useState('');
  useEffect(() => {
    let current = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'Q', margin: 4 }).then((markup) => {
      if (current) setSvg(markup);
    });
    return () => {
      current = false;
    };
  }, [text]);
  return <div class="qr" role="img" aria-label={label} style={{ width: `${size}px`, height: `${size}px` }} dangerouslySetInnerHTML={{ __html: svg }} />;
}
