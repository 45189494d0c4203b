import {
  AuthException,
  Authenticator,
  clearSessionCookies,
  clientOf,
  CurrentPrincipal,
  type Principal,
  JsonOnly,
  Public,
  RateLimit,
  REFRESH_COOKIE,
  SecurityEvents,
  SessionOnly,
  SessionService,
  setSessionCookies,
  UsersService,
} from '@aegis/auth';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode, Role } from '@aegis/contracts';
import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChangePasswordDto, LoginDto, RefreshDto, RegisterDto, SessionDto, SessionUserDto } from './auth.dto';

@ApiTags('auth')
@JsonOnly()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UsersService,
    private readonly authenticator: Authenticator,
    private readonly events: SecurityEvents,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto, description: 'Sets the access_token, refresh_token (httpOnly) and csrf_token cookies' })
  async login(@Body() body: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionDto> {
    const { user, session } = await this.sessions.login(body.username, body.password, clientOf(request));
    setSessionCookies(response, session, this.config);
    return { user };
  }

  /** Rotates the refresh token (cookie, or JSON body for clients without cookies); a cookie-based call needs the CSRF header. */
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  async refresh(@Body() body: RefreshDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionDto> {
    const token = await this.presentedRefreshToken(body, request);
    const { user, session } = await this.sessions.refresh(token, clientOf(request));
    setSessionCookies(response, session, this.config);
    return { user };
  }

  /** Ends the session's whole refresh family and clears the cookies. */
  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const fromSession = await this.authenticator.authenticate(request);
    let familyId: string | undefined;
    if (body.refreshToken || this.authenticator.refreshCookie(request, REFRESH_COOKIE)) {
      familyId = await this.sessions.familyOf(await this.presentedRefreshToken(body, request));
    } else if (fromSession?.principal.kind === 'user') {
      if (!this.authenticator.csrfValid(request, fromSession.principal.sessionId)) {
        throw new AuthException(ErrorCode.CsrfInvalid, 'Missing or invalid X-CSRF-Token header');
      }
      familyId = fromSession.principal.sessionId;
    }
    if (familyId) {
      await this.sessions.revokeFamily(familyId);
      await this.events.record({
        type: 'auth.logout',
        principal: fromSession?.principal,
        decision: 'allowed',
        ...clientOf(request),
        details: { familyId },
      });
    }
    clearSessionCookies(response, this.config);
  }

  @Get('me')
  @ApiCookieAuth('access_token')
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentPrincipal() principal: Principal): SessionUserDto {
    return { id: principal.userId, username: principal.username, role: principal.role };
  }

  /** Changes the caller's own password; every session of the user ends, so the cookies are cleared too. */
  @SessionOnly()
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.users.changeOwnPassword(principal, body.currentPassword, body.newPassword, clientOf(request));
    clearSessionCookies(response, this.config);
  }

  /** Self-service sign-up as a viewer, only when REGISTRATION_ENABLED=true; 3 per hour per IP. */
  @Public()
  @RateLimit('register')
  @Post('register')
  @ApiOkResponse({ type: SessionUserDto })
  async register(@Body() body: RegisterDto, @Req() request: Request): Promise<SessionUserDto> {
    if (!this.config.registrationEnabled) {
      throw new AuthException(ErrorCode.RegistrationDisabled, 'Registration is disabled; ask an admin for an account');
    }
    const { id, username, role } = await this.users.create(undefined, { ...body, role: Role.Viewer }, clientOf(request));
    return { id, username, role };
  }

  /** The refresh token from the JSON body, else from the cookie (which then needs the CSRF header). Never from a query string. */
  private async presentedRefreshToken(body: RefreshDto, request: Request): Promise<string> {
    if (body.refreshToken) return body.refreshToken;
    const token = this.authenticator.refreshCookie(request, REFRESH_COOKIE);
    if (!token) throw new AuthException(ErrorCode.Unauthenticated, 'No refresh token: sign in again');
    const familyId = await this.sessions.familyOf(token);
    if (familyId && !this.authenticator.csrfValid(request, familyId)) {
      await this.events.record({ type: 'auth.csrf.refused', decision: 'refused', ...clientOf(request), details: { path: request.path } });
      throw new AuthException(ErrorCode.CsrfInvalid, 'Missing or invalid X-CSRF-Token header');
    }
    return token;
  }
}
