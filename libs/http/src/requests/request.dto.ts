import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
  IsInt,
  Min,
} from 'class-validator';

const ACCESS_LEVELS = ['internal', 'external'] as const;
type AccessLevel = (typeof ACCESS_LEVELS)[number];
const ID = { minLength: 1, maxLength: 100 };
/** Message bodies may be long (a pasted log), but the whole HTTP body is capped at 1 MiB anyway. */
const BODY_MAX = 100_000;

class Recipients {
  @ApiPropertyOptional({ type: [String], example: ['customer@example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsEmail({}, { each: true })
  to?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsEmail({}, { each: true })
  cc?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsEmail({}, { each: true })
  bcc?: string[];
}

export class FirstMessageDto extends Recipients {
  @ApiProperty({ example: 'The customer called: the invoice total is wrong.' })
  @IsString()
  @Length(1, BODY_MAX)
  body!: string;

  @ApiPropertyOptional({ enum: ['customer', 'outbound', 'note'], description: 'customer (default without To): the enquiry as taken down; outbound (default with To): sent to To/Cc/Bcc; note: internal' })
  @IsOptional()
  @IsIn(['customer', 'outbound', 'note'])
  kind?: 'customer' | 'outbound' | 'note';

  @ApiPropertyOptional({ enum: ACCESS_LEVELS })
  @IsOptional()
  @IsIn(ACCESS_LEVELS)
  accessLevel?: AccessLevel;
}

export class CreateRequestDto {
  @ApiProperty({ example: 'Invoice 1042 shows the wrong total' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ type: [String], description: 'Contact ids in order; the first is the main contact' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(ID.minLength, ID.maxLength, { each: true })
  contactIds!: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) categoryId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) priorityId?: string;

  @ApiPropertyOptional({ nullable: true, description: 'An agent id; null or omitted: unassigned' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(ID.minLength, ID.maxLength)
  ownerId?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) statusId?: string;
  @ApiPropertyOptional({ description: 'ISO 8601; required with a postponed status' }) @IsOptional() @IsISO8601({ strict: true }) postponedUntil?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ enum: ACCESS_LEVELS }) @IsOptional() @IsIn(ACCESS_LEVELS) accessLevel?: AccessLevel;

  @ApiPropertyOptional({ enum: ['phone', 'email', 'web', 'api'], description: 'How the request came in (default api)' })
  @IsOptional()
  @IsIn(['phone', 'email', 'web', 'api'])
  channel?: 'phone' | 'email' | 'web' | 'api';

  @ApiProperty({ type: FirstMessageDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => FirstMessageDto)
  message!: FirstMessageDto;
}

export class AssignDto {
  @ApiProperty({ nullable: true, description: 'An agent id, or null for unassigned' })
  @IsDefined({ message: 'ownerId is required (null for unassigned)' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(ID.minLength, ID.maxLength)
  ownerId!: string | null;
}

export class TransferDto {
  @ApiPropertyOptional({ nullable: true, description: 'The colleague; null for the unassigned queue of categoryId' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(ID.minLength, ID.maxLength)
  ownerId?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) categoryId?: string;

  @ApiProperty({ description: 'Internal note explaining the question' })
  @IsString()
  @Length(1, BODY_MAX)
  note!: string;
}

export class NoteDto {
  @ApiProperty() @IsString() @Length(1, BODY_MAX) body!: string;
}

export class ReplyDto extends Recipients {
  @ApiProperty() @IsString() @Length(1, BODY_MAX) body!: string;
  @ApiPropertyOptional({ enum: ACCESS_LEVELS }) @IsOptional() @IsIn(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() closeAfterReply?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) closeStatusId?: string;
}

export class ForwardDto extends Recipients {
  @ApiPropertyOptional({ description: 'Shown above the forwarded messages' }) @IsOptional() @IsString() @MaxLength(BODY_MAX) note?: string;

  @ApiPropertyOptional({ type: [String], description: 'Default: all messages' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  messageIds?: string[];
}

export class SplitDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  messageIds!: string[];

  @ApiProperty() @IsString() @Length(1, 200) title!: string;
  @ApiPropertyOptional({ description: "The original's status after the split" }) @IsOptional() @IsString() originalStatusId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsString({ each: true }) contactIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() categoryId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() priorityId?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() ownerId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() statusId?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) postponedUntil?: string;
  @ApiPropertyOptional({ enum: ACCESS_LEVELS }) @IsOptional() @IsIn(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(50, { each: true }) tags?: string[];
}

export class MergeDto {
  @ApiProperty({ type: [String], description: 'Requests (ids or numbers) to merge into this one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  sourceIds!: string[];
}

export class UnmergeDto {
  @ApiProperty({ description: 'The merged request (id or number) to take out again' })
  @IsString()
  @Length(1, 100)
  sourceId!: string;
}

export class StatusChoiceDto {
  @ApiPropertyOptional({ description: 'Default: the default status of the target base status' })
  @IsOptional()
  @IsString()
  @Length(ID.minLength, ID.maxLength)
  statusId?: string;
}

export class PostponeDto extends StatusChoiceDto {
  @ApiProperty({ example: '2026-12-01T09:00:00Z' }) @IsISO8601({ strict: true }) until!: string;
}

export class UpdateRequestDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) statusId?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) postponedUntil?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) priorityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(ID.minLength, ID.maxLength) categoryId?: string;
  @ApiPropertyOptional({ enum: ACCESS_LEVELS }) @IsOptional() @IsIn(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @ApiPropertyOptional({ type: [String], description: 'The complete new set of tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

export class UpdateMessageDto {
  @ApiPropertyOptional({ enum: ACCESS_LEVELS }) @IsOptional() @IsIn(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() flagged?: boolean;
}

export class MessageVersionDto {
  @ApiProperty({ description: 'The new text; earlier versions are kept' }) @IsString() @Length(1, BODY_MAX) body!: string;
}

export class AddContactDto {
  @ApiProperty() @IsString() @Length(ID.minLength, ID.maxLength) contactId!: string;
  @ApiPropertyOptional({ description: '0 makes it the main contact; default: last' }) @IsOptional() @IsInt() @Min(0) position?: number;
}

export class ReorderContactsDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @IsString({ each: true }) contactIds!: string[];
}

export class TagDto {
  @ApiProperty() @IsString() @Length(1, 50) tag!: string;
}
