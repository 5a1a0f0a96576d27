#include "common.h"
#include "unit.h"

#include "mandate.h"

static void test_runtime__version(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.", MANDATE_VERSION_MAJOR,
		 MANDATE_VERSION_MINOR);
	CHECK(!strncmp(mandate_version(), want, strlen(want)));
}

static void test_runtime__action_matches(void)
{
	CHECK(mandate_action_matches("s3:Get*", "s3:GetObject"));
	CHECK(mandate_action_matches("S3:get*", "s3:GetObject"));
	CHECK(!mandate_action_matches("s3:Get*", "s3:PutObject"));
	CHECK(!mandate_action_matches("s3:GetObject", "s3:GetObjectAcl"));
}

static void test_runtime__resource_matches(void)
{
	CHECK(mandate_resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
	CHECK(!mandate_resource_matches("arn:aws:s3:::b/*",
					"arn:aws:s3:::B/k"));
	CHECK(mandate_resource_matches("*", "arn:aws:s3:::b/k"));
}

static void test_runtime__null_never_matches(void)
{
	CHECK(!mandate_action_matches(NULL, "s3:GetObject"));
	CHECK(!mandate_action_matches("*", NULL));
	CHECK(!mandate_resource_matches(NULL, "arn:aws:s3:::b"));
	CHECK(!mandate_resource_matches("*", NULL));
}

UNIT_MAIN(UNIT_TEST(test_runtime__version),
	  UNIT_TEST(test_runtime__action_matches),
	  UNIT_TEST(test_runtime__resource_matches),
	  UNIT_TEST(test_runtime__null_never_matches))
