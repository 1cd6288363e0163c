import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { REQUEST_VIEWS, type RequestView } from '@helpdesk/application';

export class PageDto {
  @ApiPropertyOptional({ description: 'From the previous page (nextCursor)' }) @IsOptional() @IsString() @Length(1, 2000) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'Same as the X-Min-Position header' }) @IsOptional() @IsString() minPosition?: string;
}

export class ListRequestsDto extends PageDto {
  @ApiPropertyOptional({ enum: REQUEST_VIEWS }) @IsOptional() @IsIn(REQUEST_VIEWS) view?: RequestView;
  @ApiPropertyOptional({ description: 'A status id' }) @IsOptional() @IsString() @Length(1, 100) status?: string;
  @ApiPropertyOptional({ enum: ['open', 'closed', 'postponed', 'deleted', 'merged'] })
  @IsOptional()
  @IsIn(['open', 'closed', 'postponed', 'deleted', 'merged'])
  baseStatus?: 'open' | 'closed' | 'postponed' | 'deleted' | 'merged';
  @ApiPropertyOptional({ description: 'An agent id, `me`, or `none` for unassigned' }) @IsOptional() @IsString() @Length(1, 100) owner?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) tag?: string;
  @ApiPropertyOptional({ description: 'A contact id' }) @IsOptional() @IsString() @Length(1, 100) contact?: string;
  @ApiPropertyOptional({ description: 'A company id (its contacts’ requests)' }) @IsOptional() @IsString() @Length(1, 100) company?: string;
}

export class ContactRequestsDto extends PageDto {
  @ApiPropertyOptional({ description: 'Include closed requests (hidden by default)' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  includeClosed?: boolean;
}

export class RequestDetailDto {
  @ApiPropertyOptional({ description: 'A stream revision (e.g. 3) or an ISO 8601 time: the request as it was then' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  asOf?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() minPosition?: string;
}

export class HistoryDto {
  @ApiPropertyOptional({ enum: ['json', 'ndjson'] }) @IsOptional() @IsIn(['json', 'ndjson']) format?: 'json' | 'ndjson';
  @ApiPropertyOptional() @IsOptional() @IsString() minPosition?: string;
}

export class SearchDto extends PageDto {
  @ApiPropertyOptional({ description: 'Words to find' }) @IsString() @Length(1, 200) q!: string;
}

export class EventsDto {
  @ApiPropertyOptional({ description: 'Exclusive: events after this position' }) @IsOptional() @Matches(/^\d{1,18}$/, { message: 'after must be a position' }) after?: string;
  @ApiPropertyOptional({ default: 1000, maximum: 10000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() minPosition?: string;
}
