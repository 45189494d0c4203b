import { UserEntity } from '@aegis/database';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminBootstrapService } from './admin-bootstrap.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  providers: [AdminBootstrapService],
  exports: [AdminBootstrapService],
})
export class AuthModule {}
