import { render } from 'preact';
import { takePairingCodeFromAddress } from './access.ts';
import { BoardApp } from './board-app.tsx';
import { NoticePage } from './screens/notice-page.tsx';
import './styles/board.css';
import './styles/notice.css';

// `/board/notice/<id>` is the printable notice; everything else under /board/ is the live board.
const noticeId = /\/notice\/([^/]+)\/?$/.exec(window.location.pathname)?.[1];
const app = document.getElementById('app')!;
if (noticeId) render(<NoticePage id={decodeURIComponent(noticeId)} />, app);
else render(<BoardApp pairingCode={takePairingCodeFromAddress()} />, app);
