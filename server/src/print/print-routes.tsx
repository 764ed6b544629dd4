import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { VNode } from 'preact';
import QRCode from 'qrcode';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, loadSession, requirePermission } from '../auth/session.ts';
import { maskIdNumber } from '../domain/masking.ts';
import { dayKey } from '../domain/time-zone.ts';
import type { LanStatus } from '../lan/lan-status.ts';
import type { Logger } from '../logger.ts';
import { AppError } from '../protocol/errors.ts';
import { activitiesReport } from '../reports/activities-report.ts';
import { publicCertificate, serviceRecords } from '../reports/certificate-routes.ts';
import { readReportQuery } from '../reports/report-query.ts';
import { yearSummary } from '../reports/year-summary.ts';
import { CertificatePage } from './certificate-page.tsx';
import { idTypeOf } from '../signups/national-export.ts';
import { ErrorPage } from './error-page.tsx';
import { LedgerPage } from './ledger-page.tsx';
import { PRINT_BUTTON_SCRIPT, renderDocument } from './print-document.tsx';
import { contentSecurityPolicy } from '../security/content-security.ts';
import { certificateLookupLimiter } from '../security/throttles.ts';
import { verifyUrl } from './verify-address.ts';
import { VerifyPage } from './verify-page.tsx';
import { YearSummaryPage } from './year-summary-page.tsx';

function sendPage(res: Response, page: VNode, status = 200): void {
  // Printed pages carry personal data: the browser keeps no copy of them.
  res.status(status).setHeader('Cache-Control', 'no-store').type('html').send(renderDocument(page));
}

/** The check link printed on a certificate: a stable address, never the PC's DHCP address (verify-address.ts). */
function verifyUrlFor(ctx: AppContext, lan: LanStatus, req: Request, number: string): string {
  return verifyUrl(
    {
      publicVerifyUrl: ctx.store.state.settings.certificate.publicVerifyUrl,
      extraHostnames: ctx.config.extraHostnames,
      mdnsName: lan.mdnsName,
      httpPort: lan.httpPort,
      request: { protocol: req.protocol, host: req.get('host') ?? 'localhost' },
    },
    number,
  );
}

function teamNameOf(ctx: AppContext, teamId: string | undefined): string | undefined {
  return teamId === undefined ? undefined : ctx.store.state.get('teams', teamId)?.name;
}

/**
 * Server-rendered pages for paper (`/print/…`, staff only) and the public certificate check
 * (`/verify`). Rendered on the server so a page prints the same from any PC's browser.
 */
export function printRoutes(ctx: AppContext, lan: LanStatus): Router {
  const router = Router();
  router.use(['/print', '/verify'], contentSecurityPolicy([PRINT_BUTTON_SCRIPT]));
  router.use('/print', loadSession(ctx));

  router.get('/print/certificates/:number', requirePermission('volunteers:read'), async (req, res) => {
    const state = ctx.store.state;
    const certificate = state.get('certificates', String(req.params.number).trim().toUpperCase());
    if (!certificate) throw new AppError('NOT_FOUND', 'No certificate has this number', 404);
    const volunteer = state.get('volunteers', certificate.volunteerId);
    const zone = state.settings.timeZone;
    const checkUrl = verifyUrlFor(ctx, lan, req, certificate.number);
    const qrSvg = await QRCode.toString(checkUrl, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'certificate.printed', certificate.volunteerId, certificate.number)]);
    sendPage(
      res,
      <CertificatePage
        certificate={certificate}
        centerName={state.settings.centerName}
        name={volunteer?.name ?? ''}
        idNumber={volunteer?.idNumber ? maskIdNumber(volunteer.idNumber) : undefined}
        idType={certificate.idType ?? idTypeOf(volunteer)}
        records={serviceRecords(state, certificate.volunteerId, certificate.from, certificate.to)}
        issuedOn={dayKey(certificate.issuedAt, zone)}
        verifyUrl={checkUrl}
        verifyOnCenterNetwork={!state.settings.certificate.publicVerifyUrl}
        centerPhone={state.settings.certificate.centerPhone}
        qrSvg={qrSvg}
      />,
    );
  });

  router.get('/print/ledger', requirePermission('reports:read'), (req, res) => {
    const query = readReportQuery(ctx, req.query);
    if (query.volunteerId !== undefined) throw new AppError('VALIDATION_FAILED', 'The ledger lists activities; narrow it by month, team or theme', 400);
    const state = ctx.store.state;
    const printedOn = dayKey(ctx.clock.now(), state.settings.timeZone);
    sendPage(res, <LedgerPage report={activitiesReport(state, query)} teamName={teamNameOf(ctx, query.teamId)} printedOn={printedOn} />);
  });

  router.get('/print/year-summary', requirePermission('reports:read'), (req, res) => {
    const query = readReportQuery(ctx, req.query);
    if (query.volunteerId !== undefined) throw new AppError('VALIDATION_FAILED', 'The year-end summary is about the center; narrow it by team or theme', 400);
    const state = ctx.store.state;
    const printedOn = dayKey(ctx.clock.now(), state.settings.timeZone);
    sendPage(res, <YearSummaryPage report={yearSummary(state, query)} teamName={teamNameOf(ctx, query.teamId)} printedOn={printedOn} />);
  });

  router.get(['/verify', '/verify/:number'], certificateLookupLimiter(), (req, res) => {
    const state = ctx.store.state;
    const raw = req.params.number ?? req.query.number;
    const number = typeof raw === 'string' && raw.trim() !== '' ? raw.trim().slice(0, 64) : undefined;
    const found = number ? publicCertificate(state, number) : undefined;
    sendPage(
      res,
      <VerifyPage centerName={state.settings.centerName} number={number} found={found} timeZoneDay={(iso) => dayKey(iso, state.settings.timeZone)} />,
      number && !found ? 404 : 200,
    );
  });

  router.use(['/print', '/verify'], printErrorPage(ctx.logger));
  return router;
}

const explanations: Partial<Record<string, { heading: string; detail: string }>> = {
  UNAUTHENTICATED: { heading: '请先登录', detail: '此页含志愿者信息，只有登录的工作人员可以查看和打印。' },
  FORBIDDEN: { heading: '无权查看', detail: '您的账号角色不能查看此页，请联系管理员。' },
  NOT_FOUND: { heading: '未找到', detail: '没有这个编号的记录，请核对链接。' },
  RATE_LIMITED: { heading: '查询太频繁', detail: '请稍等一分钟再查询。' },
  VALIDATION_FAILED: { heading: '链接中的参数有误', detail: '请从管理后台重新打开，或按 month=YYYY-MM、year=YYYY 的格式填写。' },
};

/** Errors on these pages answer as a page in Chinese, not as the API's JSON. */
function printErrorPage(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      const loginHref = error.code === 'UNAUTHENTICATED' ? `/admin/?next=${encodeURIComponent(req.originalUrl)}` : undefined;
      const explained = explanations[error.code] ?? { heading: '无法打开此页', detail: '' };
      sendPage(res, <ErrorPage heading={explained.heading} detail={explained.detail} technical={error.message} loginHref={loginHref} />, error.status);
      return;
    }
    logger.error(`Unexpected error on ${req.method} ${req.path}`, error);
    sendPage(res, <ErrorPage heading="服务器出错" detail="页面未能生成，请稍后重试。" />, 500);
  };
}
