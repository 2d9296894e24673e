import { Global, Module } from '@nestjs/common';
import { TemplateRenderer } from './template-renderer';

@Global()
@Module({ providers: [TemplateRenderer], exports: [TemplateRenderer] })
export class TemplatesModule {}
