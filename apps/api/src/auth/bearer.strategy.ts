import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { Caller } from '../common/api-request';
import { TokenAuthenticator } from './token-authenticator';

/** `Authorization: Bearer <token>`: personal tokens, org API keys and the instance admin token. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: TokenAuthenticator) {
    super();
  }

  validate(token: string): Promise<Caller> {
    return this.authenticator.authenticate(token);
  }
}
