import { PrintDocument } from './print-document.tsx';

/** A page in place of a printable one: printed pages open in a browser tab, where a JSON error would help nobody. */
export function ErrorPage(props: { heading: string; detail?: string; technical?: string; loginHref?: string }) {
  return (
    <PrintDocument title={props.heading} printable={false}>
      <main class="sheet" style="min-height: 0; max-width: 160mm">
        <h1 style="letter-spacing: 0">{props.heading}</h1>
        {props.detail && <p>{props.detail}</p>}
        {props.technical && <p class="small muted">{props.technical}</p>}
        {props.loginHref && (
          <p>
            <a href={props.loginHref}>前往管理后台登录</a>，登录后重新打开本页。
          </p>
        )}
      </main>
    </PrintDocument>
  );
}
