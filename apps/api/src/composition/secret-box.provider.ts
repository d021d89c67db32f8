import type { Provider } from '@nestjs/common';
import { AesGcmSecretBox } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const SECRET_BOX = Symbol('SECRET_BOX');

/** The AES-256-GCM box for stored credentials; null when REPOGUARD_ENCRYPTION_KEY is not set. */
export const secretBoxProvider: Provider = {
  provide: SECRET_BOX,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig): AesGcmSecretBox | null =>
    config.REPOGUARD_ENCRYPTION_KEY
      ? AesGcmSecretBox.fromConfig(config.REPOGUARD_ENCRYPTION_KEY, config.REPOGUARD_ENCRYPTION_KEYS_OLD)
      : null,
};
