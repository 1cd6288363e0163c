import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';

const TLS = ['implicit', 'starttls', 'none'] as const;
const notNull = () => ValidateIf((_, value) => value !== null);

/** IMAP or SMTP server. The password is stored in the secret store and never returned; or name a reference. */
export class ServerDto {
  @ApiProperty({ example: 'imap.example.com' }) @IsString() @Length(1, 255) host!: string;
  @ApiProperty({ example: 993 }) @IsInt() @Min(1) @Max(65535) port!: number;
  @ApiProperty({ enum: TLS, description: 'implicit: TLS from the start (993/465); starttls: upgrade; none: cleartext' }) @IsIn(TLS) tls!: (typeof TLS)[number];
  @ApiProperty() @IsString() @Length(1, 255) user!: string;
  @ApiPropertyOptional({ description: 'Stored encrypted in the secret store; never returned or logged', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  password?: string;
  @ApiPropertyOptional({ description: 'Instead of a password: secret:<id> or env:<NAME> (an environment variable of the server)' })
  @IsOptional()
  @IsString()
  @Matches(/^(secret:[A-Za-z0-9-]{1,100}|env:[A-Z_][A-Z0-9_]{0,100})$/, { message: 'secretRef must be secret:<id> or env:<NAME>' })
  secretRef?: string;
}

export class ImapDto extends ServerDto {
  @ApiPropertyOptional({ default: 'INBOX' }) @IsOptional() @IsString() @Length(1, 255) folder?: string;
}

export class AutoReplyDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ description: 'Placeholders: {{number}} {{title}} {{subject}} {{name}} {{mailbox}}' }) @IsOptional() @IsString() @Length(1, 300) subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 20_000) body?: string;
  @ApiPropertyOptional({ description: 'Also answer mail on an existing request (default: only new requests are acknowledged)' })
  @IsOptional()
  @IsBoolean()
  onFollowUps?: boolean;
}

export class UpdateMailboxDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'support@example.com' }) @IsOptional() @IsEmail() address?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsEmail({}, { each: true }) aliases?: string[];
  @ApiPropertyOptional({ type: ImapDto, nullable: true, description: 'null: mail comes only through POST /api/mail/inbound' })
  @IsOptional()
  @notNull()
  @ValidateNested()
  @Type(() => ImapDto)
  imap?: ImapDto | null;
  @ApiPropertyOptional({ type: ServerDto, nullable: true, description: "null: the server's SMTP settings" })
  @IsOptional()
  @notNull()
  @ValidateNested()
  @Type(() => ServerDto)
  smtp?: ServerDto | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @notNull() @IsString() @Length(1, 100) categoryId?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @notNull() @IsString() @Length(1, 100) priorityId?: string | null;
  @ApiPropertyOptional({ type: AutoReplyDto }) @IsOptional() @ValidateNested() @Type(() => AutoReplyDto) autoReply?: AutoReplyDto;
  @ApiPropertyOptional({ description: 'An unknown sender becomes a new contact (default true; off for GDPR)' }) @IsOptional() @IsBoolean() createContacts?: boolean;
  @ApiPropertyOptional({ default: 60 }) @IsOptional() @IsInt() @Min(1) @Max(86_400) pollIntervalSeconds?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class CreateMailboxDto extends UpdateMailboxDto {
  @ApiProperty({ example: 'Support' }) @IsString() @Length(1, 200) declare name: string;
  @ApiProperty({ example: 'support@example.com' }) @IsEmail() declare address: string;
}

export class AttachmentUploadQueryDto {
  @ApiProperty({ description: 'The name to send the file under', example: 'invoice-1042.pdf' }) @IsString() @Length(1, 255) filename!: string;
  @ApiProperty({ example: 'application/pdf' })
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a MIME type such as application/pdf' })
  contentType!: string;
}

export class InboundQueryDto {
  @ApiPropertyOptional({ description: 'Mailbox id or address; default: the first recipient that is a mailbox' })
  @IsOptional()
  @IsString()
  @Length(1, 254)
  mailbox?: string;
}

export class ReceiptListDto {
  @ApiPropertyOptional({ enum: ['received', 'created', 'appended', 'duplicate', 'ignored', 'dead'] })
  @IsOptional()
  @IsIn(['received', 'created', 'appended', 'duplicate', 'ignored', 'dead'])
  status?: 'received' | 'created' | 'appended' | 'duplicate' | 'ignored' | 'dead';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) mailbox?: string;
  @ApiPropertyOptional({ description: 'From the previous page (next)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) after?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class OutboxListDto {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed', 'suppressed'] }) @IsOptional() @IsIn(['pending', 'sent', 'failed', 'suppressed']) status?: 'pending' | 'sent' | 'failed' | 'suppressed';
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) after?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class SignatureDto {
  @ApiProperty({ description: 'Appended to your replies and forwards, after "-- "' }) @IsString() @Length(0, 2000) text!: string;
}
