import { proxyTrust } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { translateBodyParserErrors } from '../http/body-parser-errors';
import { refuseUnstorableText } from '../http/unstorable-text';
import { assignRequestId } from '../http/request-id';
import { createValidationPipe } from '../http/validation.pipe';
import { MetricsService } from '../metrics/metrics.service';
import { AEGIS_VERSION } from '../system/aegis-version';
import { serveSpa } from '../web/spa';

/** JSON bodies above this are refused with 413; uploads (multipart) have their own limit. */
export const JSON_BODY_LIMIT = '1mb';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  // Answers read aloud play from a blob: URL of the synthesised audio.
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** Routes live under /api, except /metrics where Prometheus expects it. */
export function setRoutePrefix(app: NestExpressApplication): void {
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
}

/** Everything main.ts and the HTTP tests share: security headers, CORS, body limits, validation, the SPA. */
export function configureApp(app: NestExpressApplication, config: AppConfig, webDir?: string): { spa: boolean } {
  app.disable('x-powered-by');
  // API answers are per caller and change: no browser or proxy stores them, so no ETag is hashed for them either
  // (the SPA's files carry their own). A route with its own Cache-Control (uploads, speech, SSE) sets it later.
  app.set('etag', false);
  app.use('/api', (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  // TRUST_PROXY decides whose X-Forwarded-For names the client in req.ip (login limits, audit, logs).
  app.set('trust proxy', proxyTrust(config.trustProxy));
  // First, so that every response, even a body-parser refusal, carries its request id.
  app.use((request: Request, response: Response, next: NextFunction) => {
    request.id = assignRequestId(request, response);
    next();
  });
  app.use(app.get(MetricsService).middleware);
  app.use(helmet({ contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY }, crossOriginEmbedderPolicy: false }));
  app.enableCors(
    config.corsOrigins.length > 0 ? { origin: config.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id'] } : { origin: false },
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, strict: true });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.use(translateBodyParserErrors);
  app.use(refuseUnstorableText);
  app.useGlobalPipes(createValidationPipe());
  setRoutePrefix(app);
  return { spa: webDir ? serveSpa(app, webDir) : false };
}

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Aegis API')
    .setDescription('The governed AI orchestrator. Errors are {statusCode, code, message, requestId}.')
    .setVersion(AEGIS_VERSION)
    .addCookieAuth('access_token')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}
