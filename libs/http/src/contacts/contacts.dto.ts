import { Email, EmailList, NullableId, OptionalEmail, OptionalId, OptionalText, Text } from '../support/field.decorators';

export class CreateContactDto {
  @Text(200) name!: string;
  @EmailList(20, { description: 'Unique across contacts' }) emails?: string[];
  @OptionalText(50) phone?: string;
  @OptionalId() companyId?: string;
}

export class UpdateContactDto {
  @OptionalText(200) name?: string;
  @OptionalText(50) phone?: string;
  @NullableId({ description: 'A contact belongs to at most one company; null detaches it' }) companyId?: string | null;
}

export class ContactEmailDto {
  @Email() email!: string;
}

export class ContactQueryDto {
  @OptionalEmail({ description: 'Find the contact that owns this address' }) email?: string;
}

export class CreateCompanyDto {
  @Text(200) name!: string;
  @OptionalText(253, { example: 'example.com' }) domain?: string;
}

export class UpdateCompanyDto {
  @OptionalText(200) name?: string;
  @OptionalText(253) domain?: string;
}
