import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { SbomDescriber, SbomDescription } from '@repoguard/domain';
import { PiscinaSbomDescriber } from '@repoguard/infrastructure';

/** The API's SBOM describer: one worker thread (started on demand), stopped with the app. */
@Injectable()
export class ApiSbomDescriber implements SbomDescriber, OnApplicationShutdown {
  private readonly threads = new PiscinaSbomDescriber({ threads: 1 });

  describe(text: string): Promise<SbomDescription> {
    return this.threads.describe(text);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.threads.close();
  }
}
