export { AuthModule } from './lib/auth.module';
export { AdminBootstrapService, type AdminBootstrapResult } from './lib/admin-bootstrap.service';
export { hashPassword, verifyPassword } from './lib/password-hasher';
