import { ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

/** A route whose change takes access away, and says so when other API instances may not know yet. */
export const ApiUnannouncedChangeResponse = () =>
  ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description:
      'CREDENTIAL_CHANGE_NOT_ANNOUNCED: the change is saved, but other API instances could not be told ' +
      'over Redis and may accept the old credentials until AUTH_CACHE_TTL_SECONDS ran out; repeating ' +
      'the request announces it again',
  });
