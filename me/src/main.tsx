import { render } from 'preact';
import { MeApp } from './me-app.tsx';
import './styles/me.css';

render(<MeApp />, document.getElementById('app')!);
