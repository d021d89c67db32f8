import { ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

/** A route whose change takes access away, and says so when other API instances may not know yet. */
export const ApiUnannouncedChangeResponse = () =>
  ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description:
      'CREDENTIAL_CHANGE_NOT_ANNOUNCED: the change is saved, but other API instances could not be told ' +
      'over Redis yet and may accept the old credentials until they are, for AUTH_CACHE_TTL_SECONDS at ' +
      'most; the instance keeps trying to tell them in the background',
  });
